"""Chapter 3's reference implementations: losses, a gradient-descent step, mini-batches.

The chapter derives these and runs its experiments with them, importing them
from here; the exercise asks the student to write them (the book never
prints their code). All are NumPy, ``float64``, batch first:

- ``mse_loss(y_pred, y_true)``                 mean squared error over all elements
- ``cross_entropy(logits, labels)``            mean of ``-log softmax(logits)[n, labels[n]]``, stable
- ``huber_loss(y_pred, y_true, delta)``        mean Huber loss, and ``huber_grad`` its gradient
- ``gd_step(params, grads, lr)``               a new list ``[p - lr * g]``
- ``logistic_regression_grad(X, y, w, b)``     mean binary cross-entropy and its gradients, stable
- ``iterate_minibatches(n, batch_size, rng)``  one permutation cut into consecutive batches

The numerical gradient is :func:`nncourse.gradcheck.numerical_gradient`.
"""

from __future__ import annotations

import numpy as np


def _same_shape(name: str, a, b) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"{name}: y_pred and y_true must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError(f"{name}: the arrays are empty, the mean is undefined")
    return a, b


def _check_delta(delta: float) -> float:
    delta = float(delta)
    if not (np.isfinite(delta) and delta > 0):
        raise ValueError(f"delta must be a positive finite number, got {delta}")
    return delta


# ---------------------------------------------------------------- regression losses
def mse_loss(y_pred, y_true) -> float:
    """Mean over all elements of ``(y_pred - y_true)**2``; arrays of the same shape -> float."""
    y_pred, y_true = _same_shape("mse_loss", y_pred, y_true)
    r = y_pred - y_true  # same shape as the inputs
    return float(np.mean(r * r))


def huber_loss(y_pred, y_true, delta: float = 1.0) -> float:
    """Mean over all elements of the Huber loss of ``r = y_pred - y_true``:
    ``0.5 r**2`` where ``|r| <= delta``, else ``delta * (|r| - 0.5 delta)``.
    Equals ``torch.nn.functional.huber_loss(y_pred, y_true, delta=delta)``."""
    y_pred, y_true = _same_shape("huber_loss", y_pred, y_true)
    delta = _check_delta(delta)
    a = np.abs(y_pred - y_true)
    small = np.minimum(a, delta)  # the residual clipped to [0, delta]
    # 0.5 c^2 + delta (a - c), c = min(a, delta): 0.5 a^2 inside, delta (a - delta/2) outside
    return float(np.mean(0.5 * small * small + delta * (a - small)))


def huber_grad(y_pred, y_true, delta: float = 1.0) -> np.ndarray:
    """Gradient of :func:`huber_loss` with respect to ``y_pred``: the residual
    clipped to ``[-delta, delta]``, divided by the number of elements."""
    y_pred, y_true = _same_shape("huber_grad", y_pred, y_true)
    delta = _check_delta(delta)
    return np.clip(y_pred - y_true, -delta, delta) / y_pred.size  # same shape as y_pred


# ---------------------------------------------------------------- classification
def cross_entropy(logits, labels) -> float:
    """Mean over the batch of ``-log softmax(logits)[n, labels[n]]``; ``logits (N, C)``,
    ``labels (N,)`` integers in ``[0, C)``. Stable for logits of any size (log-sum-exp
    shifted by each row's maximum); equals ``torch.nn.functional.cross_entropy``."""
    Z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels)
    if Z.ndim != 2 or Z.shape[0] == 0:
        raise ValueError(f"logits must be (N, C) with N >= 1, got shape {Z.shape}")
    if y.shape != (Z.shape[0],) or y.dtype.kind not in "iu":
        raise ValueError(f"labels must be ({Z.shape[0]},) integers, got shape {y.shape} and dtype {y.dtype}")
    if np.any(y < 0) or np.any(y >= Z.shape[1]):
        raise ValueError(f"labels must lie in [0, {Z.shape[1]}), got values from {y.min()} to {y.max()}")
    shifted = Z - Z.max(axis=1, keepdims=True)  # (N, C), every entry <= 0
    lse = np.log(np.exp(shifted).sum(axis=1))  # (N,): log-sum-exp minus the row maximum
    return float(np.mean(lse - shifted[np.arange(len(y)), y]))


def logistic_regression_grad(X, y, w, b) -> tuple[float, np.ndarray, float]:
    """Mean binary cross-entropy of ``sigmoid(X @ w + b)`` against ``y`` in {0, 1}, and its
    gradients: ``X (N, D)``, ``y (N,)``, ``w (D,)``, ``b`` float -> ``(loss, dw (D,), db)``.
    Stable: the loss is ``softplus(z) - y z``, the sigmoid never overflows."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be (N, D) with N >= 1, got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must be ({X.shape[0]},), got shape {y.shape}")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must be ({X.shape[1]},), got shape {w.shape}")
    z = X @ w + float(b)  # (N, D) @ (D,) -> (N,)
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    p = 0.5 * (1.0 + np.tanh(0.5 * z))  # (N,): sigmoid(z), no overflow
    dz = (p - y) / len(y)  # (N,)
    return float(loss), X.T @ dz, float(dz.sum())  # (D, N) @ (N,) -> (D,)


# ---------------------------------------------------------------- optimisation
def gd_step(params, grads, lr: float) -> list:
    """One gradient-descent step: a new list ``[p - lr * g]``; the inputs are not modified."""
    if len(params) != len(grads):
        raise ValueError(f"params and grads must have the same length, got {len(params)} and {len(grads)}")
    out = []
    for k, (p, g) in enumerate(zip(params, grads)):
        if np.shape(p) != np.shape(g):
            raise ValueError(f"parameter #{k + 1} has shape {np.shape(p)} but its gradient {np.shape(g)}")
        out.append(p - lr * g)  # a new array (or float); p is untouched
    return out


def iterate_minibatches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One random permutation of ``range(n)`` drawn from ``rng``, cut into consecutive
    batches of ``batch_size`` indices (the last may be smaller)."""
    if n < 0 or batch_size < 1:
        raise ValueError(f"need n >= 0 and batch_size >= 1, got n={n}, batch_size={batch_size}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    perm = rng.permutation(n)  # (n,)
    return [perm[i:i + batch_size] for i in range(0, n, batch_size)]
