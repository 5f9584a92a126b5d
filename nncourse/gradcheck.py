"""Numerical gradients and how far they are from analytic ones.

Used by the chapters (to check a backward pass) and by the grader (as an
oracle independent of torch).
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Central differences ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry.

    ``x`` must be a float array; it is perturbed in place and restored, so it
    holds its original values afterwards (also if ``f`` raises).
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"numerical_gradient needs a float array, got dtype {x.dtype}")
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i].copy()
        try:
            x[i] = old + eps
            fp = float(f(x))
            x[i] = old - eps
            fm = float(f(x))
        finally:
            x[i] = old
        grad[i] = (fp - fm) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-12) -> float:
    """``max |a - b| / max(|a| + |b|, floor)``, elementwise then the worst entry."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))
