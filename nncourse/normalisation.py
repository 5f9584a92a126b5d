"""Dropout and batch normalisation in NumPy: chapter 5's references.

- ``dropout_forward(X, p, rng, train=True)`` -> ``(out, mask)``: inverted
  dropout, ``out = X * mask / (1 - p)``, ``mask`` 1 where kept; the identity
  (and a mask of ones) in eval mode or for ``p == 0``
- ``batchnorm_forward(X, gamma, beta, eps=1e-5)`` -> ``Y (N, D)``: training
  mode over axis 0, biased variance (``F.batch_norm(..., training=True)``)
- ``batchnorm_backward(dout, X, gamma, eps=1e-5)`` -> ``(dX, dgamma, dbeta)``:
  its gradients (autograd through ``F.batch_norm(..., training=True)``)

The chapter uses them in its experiments; the exercise asks the reader to
write them. Inputs are never modified.
"""

from __future__ import annotations

import numpy as np


def dropout_forward(X, p: float, rng: np.random.Generator, train: bool = True):
    """Inverted dropout; returns ``(out, mask)``, ``mask`` 1 where an entry is kept."""
    if not 0 <= p < 1:
        raise ValueError(f"p must be in [0, 1), got {p}")
    X = np.asarray(X, dtype=np.float64)
    if not train or p == 0:
        return X.copy(), np.ones_like(X)
    mask = (rng.random(X.shape) >= p).astype(np.float64)    # kept with probability 1 - p
    return X * mask / (1 - p), mask


def _check_2d(X, gamma, name="X"):
    X = np.asarray(X, dtype=np.float64)
    gamma = np.asarray(gamma, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"{name} must be (N, D), got shape {X.shape}")
    if gamma.shape != (X.shape[1],):
        raise ValueError(f"gamma must be ({X.shape[1]},) for {name} {X.shape}, got shape {gamma.shape}")
    return X, gamma


def _standardise(X, eps):
    mu = X.mean(axis=0)                           # (D,)
    var = X.var(axis=0)                           # (D,) biased: divided by N
    inv_std = 1.0 / np.sqrt(var + eps)            # (D,)
    return (X - mu) * inv_std, inv_std            # (N, D), (D,)


def batchnorm_forward(X, gamma, beta, eps: float = 1e-5):
    """Training-mode batch normalisation of ``X (N, D)`` over axis 0."""
    X, gamma = _check_2d(X, gamma)
    X_hat, _ = _standardise(X, eps)
    return gamma * X_hat + np.asarray(beta, dtype=np.float64)   # (N, D)


def batchnorm_backward(dout, X, gamma, eps: float = 1e-5):
    """Gradients of :func:`batchnorm_forward` for the upstream gradient ``dout (N, D)``:
    ``(dX (N, D), dgamma (D,), dbeta (D,))``. The batch statistics depend on every
    sample, so ``dX`` has a term through the mean and one through the variance."""
    X, gamma = _check_2d(X, gamma)
    dout = np.asarray(dout, dtype=np.float64)
    if dout.shape != X.shape:
        raise ValueError(f"dout must have the shape of X {X.shape}, got {dout.shape}")
    N = X.shape[0]
    X_hat, inv_std = _standardise(X, eps)
    dbeta = dout.sum(axis=0)                                  # (D,)
    dgamma = (dout * X_hat).sum(axis=0)                       # (D,)
    dX_hat = dout * gamma                                     # (N, D)
    dX = inv_std / N * (N * dX_hat - dX_hat.sum(axis=0) - X_hat * (dX_hat * X_hat).sum(axis=0))
    return dX, dgamma, dbeta
