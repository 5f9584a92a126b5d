"""Figures shared by the chapters: one style, and the plots several chapters draw.

Every function returns the matplotlib ``Axes`` it drew on, so a chapter can
add to it, and takes an optional ``ax`` to draw into an existing figure.
"""

from __future__ import annotations

from typing import Callable

import matplotlib.pyplot as plt
import numpy as np

# Colour-blind-safe pair for two classes (blue / orange), then more.
CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"]


def use_course_style() -> None:
    """Apply the book's figure style: small, legible, no chart junk."""
    plt.rcParams.update(
        {
            "figure.figsize": (5.5, 3.6),
            "figure.dpi": 110,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "font.size": 10,
            "legend.frameon": False,
        }
    )


def plot_function(f: Callable[[np.ndarray], np.ndarray], lo: float = -5, hi: float = 5,
                  ax=None, label: str | None = None, n: int = 400, **kw):
    """Plot ``f`` on ``[lo, hi]``."""
    ax = ax or plt.gca()
    z = np.linspace(lo, hi, n)
    ax.plot(z, f(z), label=label, **kw)
    return ax


def plot_points(X: np.ndarray, y: np.ndarray, ax=None, s: float = 25, **kw):
    """Scatter 2-D points ``X (N, 2)`` coloured by integer labels ``y (N,)``."""
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_points needs X of shape (N, 2), got {X.shape}")
    ax = ax or plt.gca()
    for c in np.unique(y):
        m = y == c
        ax.scatter(X[m, 0], X[m, 1], s=s, color=CLASS_COLORS[int(c) % len(CLASS_COLORS)],
                   edgecolor="white", linewidth=0.5, label=f"class {int(c)}", **kw)
    ax.set_aspect("equal", adjustable="datalim")
    return ax


def grid_for(X: np.ndarray, margin: float = 0.5, n: int = 200):
    """A mesh covering the 2-D points ``X``: returns ``(xx, yy, grid (n*n, 2))``."""
    lo = X.min(axis=0) - margin
    hi = X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def plot_decision_regions(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                          y: np.ndarray, ax=None, n: int = 200, alpha: float = 0.25):
    """Shade the plane by ``predict(points) -> (M,)`` labels, then scatter ``X, y``."""
    ax = ax or plt.gca()
    xx, yy, grid = grid_for(X, n=n)
    z = np.asarray(predict(grid)).reshape(xx.shape)
    levels = np.arange(-0.5, max(int(z.max()), int(np.max(y))) + 1.0)
    cmap = plt.matplotlib.colors.ListedColormap(CLASS_COLORS[: len(levels) - 1])
    ax.contourf(xx, yy, z, levels=levels, cmap=cmap, alpha=alpha)
    plot_points(X, y, ax=ax)
    return ax


def plot_line(w: np.ndarray, b: float, X: np.ndarray, ax=None, **kw):
    """Draw the line ``w . x + b = 0`` across the extent of the 2-D points ``X``."""
    ax = ax or plt.gca()
    w = np.asarray(w, dtype=float)
    (x0, x1), (y0, y1) = (X[:, 0].min() - 0.5, X[:, 0].max() + 0.5), (X[:, 1].min() - 0.5, X[:, 1].max() + 0.5)
    if abs(w[1]) > 1e-12:
        xs = np.array([x0, x1])
        ax.plot(xs, -(w[0] * xs + b) / w[1], **kw)
    elif abs(w[0]) > 1e-12:
        ax.plot([-b / w[0]] * 2, [y0, y1], **kw)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax
