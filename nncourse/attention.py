"""Attention in NumPy: the reference implementations of chapter 8's graded functions.

The chapter derives each piece and runs its experiments with these functions,
without printing their code (the exercise is where a reader writes them);
the tests check them against PyTorch (``tests/test_attention.py``).

- ``softmax(Z, axis=-1)``                          stable softmax along an axis
- ``scaled_dot_product_attention(Q, K, V, mask=None)`` -> ``(out, weights)``
- ``causal_mask(T)``                               boolean ``(T, T)``, True on and below the diagonal
- ``multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, causal=False)``
- ``positional_encoding(T, d)``                    sinusoidal encodings ``(T, d)``
- ``rotary_embedding(X, base=10000.0)``            rotary position embedding (RoPE)
- ``layer_norm(X, gamma, beta, eps=1e-5)``, ``rms_norm(X, gamma, eps=1e-6)``

Arrays are float64, batch axes first; a boolean mask is True where attending
is allowed. Shapes in comments: ``Tq``, ``Tk`` queries and keys, ``d`` the
width of a query and a key, ``dv`` of a value, ``H`` heads, ``D = d / H``.
"""

from __future__ import annotations

import numpy as np


def _array(X, name: str, min_ndim: int = 1) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} axes, got shape {X.shape}")
    return X


def softmax(Z, axis: int = -1) -> np.ndarray:
    """``exp(Z) / sum(exp(Z))`` along ``axis``; stable (the maximum is subtracted first).

    Entries of ``-inf`` get weight 0; a slice that is all ``-inf`` is an error of the caller.
    """
    Z = np.asarray(Z, dtype=np.float64)
    e = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def scaled_dot_product_attention(Q, K, V, mask=None):
    """``softmax(Q K^T / sqrt(d)) V`` with an optional boolean ``mask`` (True: may attend).

    ``Q (..., Tq, d)``, ``K (..., Tk, d)``, ``V (..., Tk, dv)``; ``mask`` broadcasts to
    ``(..., Tq, Tk)`` and allows at least one key in every row. Returns
    ``(out (..., Tq, dv), weights (..., Tq, Tk))``.
    """
    Q, K, V = _array(Q, "Q", 2), _array(K, "K", 2), _array(V, "V", 2)
    if Q.shape[-1] != K.shape[-1] or K.shape[-2] != V.shape[-2]:
        raise ValueError(f"Q (..., Tq, d), K (..., Tk, d) and V (..., Tk, dv) do not fit: "
                         f"got {Q.shape}, {K.shape}, {V.shape}")
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])       # (..., Tq, Tk)
    if mask is not None:
        allowed = np.asarray(mask, dtype=bool)
        if not np.broadcast_to(allowed, scores.shape).any(axis=-1).all():
            raise ValueError("the mask allows no key for some query (its weights would be nan)")
        scores = np.where(allowed, scores, -np.inf)
    weights = softmax(scores, axis=-1)                                # (..., Tq, Tk)
    return weights @ V, weights                                       # (..., Tq, dv)


def causal_mask(T: int) -> np.ndarray:
    """Boolean ``(T, T)``: True where query ``t`` may attend to key ``s``, i.e. ``s <= t``."""
    if T < 1:
        raise ValueError(f"T must be a positive integer, got {T}")
    t = np.arange(T)
    return t[None, :] <= t[:, None]                                   # (T, T)


def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads: int, causal: bool = False) -> np.ndarray:
    """Multi-head self-attention without biases: ``concat(heads) @ Wo``.

    ``X (N, T, d)``, each ``W (d, d)``; head ``h`` uses the consecutive channels
    ``h*D:(h+1)*D`` of ``X @ Wq``, ``X @ Wk``, ``X @ Wv`` (``D = d / n_heads``), scaled by
    ``sqrt(D)``. Equals ``torch.nn.MultiheadAttention(d, n_heads, bias=False)``.
    """
    X = _array(X, "X")
    if X.ndim != 3:
        raise ValueError(f"X must be (N, T, d), got shape {X.shape}")
    N, T, d = X.shape
    if d % n_heads:
        raise ValueError(f"d ({d}) must be a multiple of n_heads ({n_heads})")
    for name, W in (("Wq", Wq), ("Wk", Wk), ("Wv", Wv), ("Wo", Wo)):
        if np.shape(W) != (d, d):
            raise ValueError(f"{name} must be (d, d) = {(d, d)}, got shape {np.shape(W)}")
    D = d // n_heads

    def split(Z):                                                    # (N, T, d) -> (N, H, T, D)
        return Z.reshape(N, T, n_heads, D).transpose(0, 2, 1, 3)

    mask = causal_mask(T) if causal else None
    heads, _ = scaled_dot_product_attention(split(X @ Wq), split(X @ Wk), split(X @ Wv), mask)
    concat = heads.transpose(0, 2, 1, 3).reshape(N, T, d)            # (N, H, T, D) -> (N, T, d)
    return concat @ np.asarray(Wo, dtype=np.float64)                  # (N, T, d)


def _even_width(d: int) -> None:
    if d % 2:
        raise ValueError(f"the width d must be even, got {d}")


def positional_encoding(T: int, d: int) -> np.ndarray:
    """``PE[t, 2i] = sin(t / 10000**(2i/d))``, ``PE[t, 2i+1] = cos(t / 10000**(2i/d))``; ``(T, d)``."""
    _even_width(d)
    angle = np.arange(T)[:, None] * 10000.0 ** (-np.arange(0, d, 2) / d)  # (T, 1) * (d/2,) -> (T, d/2)
    pe = np.empty((T, d))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle)
    return pe


def rotary_embedding(X, base: float = 10000.0) -> np.ndarray:
    """Rotary position embedding: position ``t`` turns each pair of channels ``(2i, 2i+1)``
    by the angle ``t * base**(-2i/d)``.

    ``X (..., T, d)``, ``d`` even -> the same shape: ``out[..., t, 2i] = x0 cos - x1 sin``,
    ``out[..., t, 2i+1] = x0 sin + x1 cos``, with ``x0, x1 = X[..., t, 2i], X[..., t, 2i+1]``.
    """
    X = _array(X, "X", 2)
    T, d = X.shape[-2:]
    _even_width(d)
    angle = np.arange(T)[:, None] * base ** (-np.arange(0, d, 2) / d)  # (T, d/2)
    cos, sin = np.cos(angle), np.sin(angle)
    x0, x1 = X[..., 0::2], X[..., 1::2]                               # (..., T, d/2) each
    out = np.empty_like(X)
    out[..., 0::2] = x0 * cos - x1 * sin
    out[..., 1::2] = x0 * sin + x1 * cos
    return out


def _norm_args(X, gamma, name: str = "gamma"):
    X = _array(X, "X", 1)
    gamma = np.asarray(gamma, dtype=np.float64)
    if gamma.shape != X.shape[-1:]:
        raise ValueError(f"{name} must be (D,) = {X.shape[-1:]}, got shape {gamma.shape}")
    return X, gamma


def layer_norm(X, gamma, beta, eps: float = 1e-5) -> np.ndarray:
    """Standardise over the last axis (biased variance, ``eps`` inside the square root),
    then ``gamma * . + beta``; equals ``torch.nn.functional.layer_norm``."""
    X, gamma = _norm_args(X, gamma)
    _, beta = _norm_args(X, beta, "beta")
    centred = X - X.mean(axis=-1, keepdims=True)                      # (..., D)
    var = (centred ** 2).mean(axis=-1, keepdims=True)                 # (..., 1)
    return gamma * centred / np.sqrt(var + eps) + beta


def rms_norm(X, gamma, eps: float = 1e-6) -> np.ndarray:
    """``X / sqrt(mean(X**2, -1) + eps) * gamma`` over the last axis; no centring, no shift;
    equals ``torch.nn.functional.rms_norm``."""
    X, gamma = _norm_args(X, gamma)
    ms = (X ** 2).mean(axis=-1, keepdims=True)                        # (..., 1)
    return X / np.sqrt(ms + eps) * gamma
