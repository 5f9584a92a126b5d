"""Recurrent cells in NumPy: the course's reference implementations (chapter 7).

The chapter imports these and runs its experiments with them without showing
their source (the exercise asks the reader to write them):

- ``rnn_step(x, h_prev, Wx, Wh, b)``           one tanh RNN step, ``(N, H)``
- ``rnn_forward(X, h0, Wx, Wh, b)``            all the states of a sequence, ``(N, T, H)``
- ``rnn_step_backward(dh, x, h_prev, Wx, Wh, b)``
                                              the gradients of one step: ``(dx, dh_prev, dWx, dWh, db)``
- ``rnn_backward(G, X, h0, Wx, Wh, b)``        backpropagation through time for ``L = sum(G * hs)``
- ``lstm_step(x, h_prev, c_prev, Wx, Wh, b)``  one LSTM step, gates in PyTorch's order i, f, g, o
- ``gru_step(x, h_prev, Wx, Wh, bx, bh)``      one GRU step, gates in PyTorch's order r, z, n
- ``clip_grad_norm(grads, max_norm)``          PyTorch's ``clip_grad_norm_`` on copies

Shapes follow the syllabus: batch first, weights multiply from the right
(``x @ Wx`` with ``Wx (D, H)``; PyTorch stores the transpose), float64.
"""

from __future__ import annotations

import math

import numpy as np


def sigmoid(z):
    """The logistic function, stable for any ``z`` (it never overflows)."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def _check_step(x, h_prev, Wx, Wh, gates: int = 1) -> tuple[int, int]:
    """``(N, H)`` after checking the shapes of one step's arguments."""
    x, h_prev, Wx, Wh = (np.asarray(a) for a in (x, h_prev, Wx, Wh))
    if x.ndim != 2:
        raise ValueError(f"x must be (N, D), got shape {x.shape}")
    if h_prev.ndim != 2 or h_prev.shape[0] != x.shape[0]:
        raise ValueError(f"h_prev must be (N, H) with N = {x.shape[0]}, got shape {h_prev.shape}")
    N, H = h_prev.shape
    if Wx.shape != (x.shape[1], gates * H):
        raise ValueError(f"Wx must be (D, {gates}H) = {(x.shape[1], gates * H)}, got shape {Wx.shape}")
    if Wh.shape != (H, gates * H):
        raise ValueError(f"Wh must be (H, {gates}H) = {(H, gates * H)}, got shape {Wh.shape}")
    return N, H


def rnn_step(x, h_prev, Wx, Wh, b):
    """``tanh(x @ Wx + h_prev @ Wh + b)``: ``x (N, D)``, ``h_prev (N, H)`` -> ``(N, H)``."""
    _check_step(x, h_prev, Wx, Wh)
    return np.tanh(x @ Wx + h_prev @ Wh + b)            # (N, D) @ (D, H) + (N, H) @ (H, H) -> (N, H)


def rnn_forward(X, h0, Wx, Wh, b):
    """All the states of a tanh RNN over ``X (N, T, D)`` from ``h0 (N, H)``: ``(N, T, H)``."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 3:
        raise ValueError(f"X must be (N, T, D), got shape {X.shape}")
    N, T, _ = X.shape
    hs = np.empty((N, T, np.shape(h0)[-1]))            # (N, T, H)
    h = h0
    for t in range(T):
        h = rnn_step(X[:, t], h, Wx, Wh, b)            # (N, H)
        hs[:, t] = h
    return hs


def rnn_step_backward(dh, x, h_prev, Wx, Wh, b):
    """Gradients of one step ``h = rnn_step(x, h_prev, Wx, Wh, b)`` given ``dh = dL/dh (N, H)``.

    Returns ``(dx (N, D), dh_prev (N, H), dWx (D, H), dWh (H, H), db (H,))``.
    """
    N, H = _check_step(x, h_prev, Wx, Wh)
    if np.shape(dh) != (N, H):
        raise ValueError(f"dh must be (N, H) = {(N, H)}, got shape {np.shape(dh)}")
    h = np.tanh(x @ Wx + h_prev @ Wh + b)               # (N, H)
    da = dh * (1.0 - h ** 2)                            # through tanh: (N, H)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def rnn_backward(G, X, h0, Wx, Wh, b):
    """Backpropagation through time for ``L = sum(G * rnn_forward(X, h0, Wx, Wh, b))``.

    ``G (N, T, H)`` is the gradient arriving at every state from above.
    Returns ``(dWx, dWh, db, dh0, dX)``.
    """
    X = np.asarray(X, dtype=np.float64)
    hs = rnn_forward(X, h0, Wx, Wh, b)                  # (N, T, H)
    T = X.shape[1]
    dWx, dWh, db = np.zeros_like(Wx, dtype=np.float64), np.zeros_like(Wh, dtype=np.float64), np.zeros(len(b))
    dX = np.zeros_like(X)
    dh_next = np.zeros_like(hs[:, 0])                   # from step T + 1: nothing
    for t in reversed(range(T)):
        h_prev = hs[:, t - 1] if t > 0 else h0
        dx, dh_next, dWx_t, dWh_t, db_t = rnn_step_backward(G[:, t] + dh_next, X[:, t], h_prev, Wx, Wh, b)
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
        dX[:, t] = dx
    return dWx, dWh, db, dh_next, dX


def lstm_step(x, h_prev, c_prev, Wx, Wh, b):
    """One LSTM step, gates in PyTorch's order i, f, g, o; returns ``(h, c)``, both ``(N, H)``."""
    N, H = _check_step(x, h_prev, Wx, Wh, gates=4)
    if np.shape(c_prev) != (N, H):
        raise ValueError(f"c_prev must be (N, H) = {(N, H)}, got shape {np.shape(c_prev)}")
    a = x @ Wx + h_prev @ Wh + b                        # (N, 4H)
    i, f, g, o = (a[:, k * H:(k + 1) * H] for k in range(4))
    c = sigmoid(f) * c_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def gru_step(x, h_prev, Wx, Wh, bx, bh):
    """One GRU step (``torch.nn.GRUCell`` with weights transposed), gates r, z, n; ``(N, H)``."""
    N, H = _check_step(x, h_prev, Wx, Wh, gates=3)
    ax = x @ Wx + bx                                    # (N, 3H): the input's part
    ah = h_prev @ Wh + bh                               # (N, 3H): the state's part
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])      # the reset gate scales the state's part only
    return (1.0 - z) * n + z * h_prev


def clip_grad_norm(grads, max_norm):
    """``(clipped, total_norm)`` as ``torch.nn.utils.clip_grad_norm_`` computes them, on copies."""
    if max_norm <= 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm}")
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    total = math.sqrt(sum(float(np.sum(g * g)) for g in arrays))
    coef = max_norm / (total + 1e-6)
    return [g * coef if coef < 1.0 else g.copy() for g in arrays], total
