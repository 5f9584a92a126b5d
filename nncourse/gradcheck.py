"""Numerical gradients and how far they are from analytic ones.

Used by the chapters (to check a backward pass) and by the grader (as an
oracle independent of torch).
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Central differences ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry.

    ``x`` must be a writeable float array; it is perturbed in place and
    restored, so it holds its original values afterwards (also if ``f``
    raises). ``f`` must return a scalar (a Python number or a size-1 array).
    Returns a float64 array shaped like ``x``.
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"numerical_gradient needs a float array, got dtype {x.dtype}")
    if not x.flags.writeable:
        raise ValueError("numerical_gradient perturbs x in place, but x is read-only; pass a copy")
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a positive finite number, got {eps}")
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i].copy()
        try:
            x[i] = old + eps
            fp = _scalar(f(x))
            x[i] = old - eps
            fm = _scalar(f(x))
        finally:
            x[i] = old
        grad[i] = (fp - fm) / (2 * eps)
    return grad


def _scalar(value) -> float:
    """``value`` as a float; a clear error if ``f`` returned something else."""
    arr = np.asarray(value)
    if arr.size != 1 or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"f must return a scalar, got {type(value).__name__} with shape {arr.shape}")
    return float(arr.reshape(()))


def gradient_error(f: Callable[[np.ndarray], float], grad: np.ndarray, x: np.ndarray,
                   eps: float = 1e-5) -> float:
    """How far an analytic gradient ``grad`` of ``f`` at ``x`` is from central differences.

    Returns :func:`relative_error` of the two; below about ``1e-6`` the
    analytic gradient is almost certainly right, above ``1e-3`` almost
    certainly wrong (for smooth ``f`` and float64 ``x``).
    """
    return relative_error(grad, numerical_gradient(f, x, eps))


def relative_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-12) -> float:
    """``max |a - b| / max(|a| + |b|, floor)``, elementwise then the worst entry."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))
