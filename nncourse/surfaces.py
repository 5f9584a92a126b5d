"""Loss surfaces in two dimensions: contour plots and optimisation paths on them.

Chapter 3 (the learning rate) and chapter 5 (momentum, Adam) both watch an
optimiser walk over a 2-D loss surface; this module is what they share:

- ``quadratic(H)``           a bowl ``f(w) = 1/2 w^T H w`` and its gradient
- ``trajectory(step, w0, n)`` the points an update rule visits
- ``plot_contours(f, ...)``   level sets of ``f`` over a rectangle
- ``plot_trajectory(path)``   a path drawn over them
"""

from __future__ import annotations

from typing import Callable

import matplotlib.pyplot as plt
import numpy as np

from nncourse.plotting import grid_for


def quadratic(H: np.ndarray):
    """The bowl ``f(w) = 1/2 w^T H w`` for a symmetric ``H (D, D)``; returns ``(f, grad)``.

    Both accept a batch of points ``w (..., D)``: ``f -> (...)`` and
    ``grad -> (..., D)``, so ``f`` can be evaluated on a whole grid at once.
    """
    H = np.asarray(H, dtype=np.float64)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.allclose(H, H.T):
        raise ValueError(f"quadratic needs a symmetric square matrix, got shape {H.shape}")

    def f(w):
        w = np.asarray(w, dtype=np.float64)
        return 0.5 * np.einsum("...i,ij,...j->...", w, H, w)

    def grad(w):
        return np.asarray(w, dtype=np.float64) @ H  # (..., D) @ (D, D) -> (..., D); H is symmetric

    return f, grad


def trajectory(step: Callable[[np.ndarray], np.ndarray], w0, n_steps: int) -> np.ndarray:
    """Apply ``w <- step(w)`` ``n_steps`` times from ``w0``; return all points ``(n_steps + 1, D)``.

    Stops early (and returns the shorter path) once a point is no longer
    finite, so that a diverging learning rate still gives a plottable path;
    the overflow that ends such a path is expected and raises no warning.
    """
    if n_steps < 0:
        raise ValueError(f"n_steps must be >= 0, got {n_steps}")
    w = np.array(w0, dtype=np.float64)  # a copy: the caller's w0 is never touched
    path = [w.copy()]
    for _ in range(n_steps):
        with np.errstate(over="ignore", invalid="ignore"):
            w = np.asarray(step(w), dtype=np.float64)
        if not np.all(np.isfinite(w)):
            break
        path.append(w.copy())
    return np.stack(path)


def plot_contours(f: Callable[[np.ndarray], np.ndarray], xlim, ylim, ax=None, levels=15,
                  n: int = 200, log: bool = False, cmap: str = "viridis", **kw):
    """Draw level sets of ``f((M, 2) points) -> (M,)`` over ``xlim x ylim``.

    With ``log=True`` (and ``levels`` a count) the levels are spaced
    geometrically up to the largest value on the grid, over at most four
    decades, which suits bowls whose values span orders of magnitude.
    """
    ax = ax or plt.gca()
    corners = np.array([[xlim[0], ylim[0]], [xlim[1], ylim[1]]], dtype=np.float64)
    xx, yy, grid = grid_for(corners, margin=0.0, n=n)
    zz = np.asarray(f(grid), dtype=np.float64).reshape(xx.shape)
    if log and np.isscalar(levels) and np.any(zz > 0):
        hi = zz.max()
        lo = max(zz[zz > 0].min(), 1e-4 * hi)  # at most four decades of levels
        levels = np.geomspace(lo, hi, int(levels))
    ax.contour(xx, yy, zz, levels=levels, cmap=cmap, linewidths=0.8, **kw)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return ax


def plot_trajectory(path: np.ndarray, ax=None, label: str | None = None, color: str = "C3",
                    **kw):
    """Draw a path ``(T, 2)`` as connected dots, its start hollow and its end filled."""
    path = np.asarray(path, dtype=np.float64)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"plot_trajectory needs a path of shape (T, 2), got {path.shape}")
    ax = ax or plt.gca()
    ax.plot(path[:, 0], path[:, 1], "-o", color=color, ms=3, lw=1, label=label, **kw)
    ax.plot(*path[0], "o", mfc="white", mec=color, ms=7, zorder=3)
    ax.plot(*path[-1], "o", color=color, ms=7, zorder=3)
    return ax
