"""Figures shared by the chapters: one style, and the plots several chapters draw.

Every function returns the matplotlib ``Axes`` it drew on, so a chapter can
add to it, and takes an optional ``ax`` to draw into an existing figure.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

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


def use_notebook_figures(retina: bool = True) -> None:
    """The course style, plus sharp PNGs in notebooks and the book (2x pixels).

    Call once at the top of a chapter. Outside IPython only the style is set.
    """
    use_course_style()
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # plain Python: nothing inline to configure
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina" if retina else "png")


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
    # "box", not "datalim": the axes keep the limits a caller sets (plot_line
    # sets both), and the plot area shrinks to make the units equal.
    ax.set_aspect("equal", adjustable="box")
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


def _check_xy(X: np.ndarray, y: np.ndarray, name: str):
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"{name} needs X of shape (N, 2), got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"{name} needs y of shape ({X.shape[0]},), got {y.shape}")
    return X, y


def plot_activation_grid(activations: Mapping[str, tuple[Callable, Callable]], lo: float = -5,
                         hi: float = 5, axes=None, n: int = 400):
    """One column per activation: the function on top, its derivative below.

    ``activations`` maps a name to ``(f, df)``, both elementwise on arrays.
    Returns the ``(2, k)`` array of axes (pass ``axes`` of that shape to reuse).
    """
    k = len(activations)
    if k == 0:
        raise ValueError("plot_activation_grid needs at least one activation")
    if axes is None:
        _, axes = plt.subplots(2, k, figsize=(1.85 * k, 3.8), sharex=True, squeeze=False)
    axes = np.asarray(axes).reshape(2, k)
    for j, (name, (f, df)) in enumerate(activations.items()):
        plot_function(f, lo, hi, ax=axes[0, j], n=n, color=CLASS_COLORS[0], lw=2)
        plot_function(df, lo, hi, ax=axes[1, j], n=n, color=CLASS_COLORS[1], lw=2)
        axes[0, j].set_title(name)
        axes[1, j].set_xlabel("$z$")
        for ax in axes[:, j]:
            ax.axhline(0, color="0.4", lw=0.8)
            ax.axvline(0, color="0.4", lw=0.8)
    axes[0, 0].set_ylabel("$f(z)$")
    axes[1, 0].set_ylabel("$f\\,'(z)$")
    return axes


def plot_weight_vector(w: np.ndarray, b: float, ax=None, at=None, length: float | None = None,
                       color: str = "black", label: str | None = r"$\mathbf{w}$"):
    """Draw ``w`` as an arrow that starts on the line ``w . x + b = 0``.

    The arrow starts at the point of the line closest to ``at`` (default: the
    origin) and points into the half-plane where ``w . x + b > 0``. With
    ``length`` it is scaled to that length (only its direction matters).
    """
    ax = ax or plt.gca()
    w = np.asarray(w, dtype=float)
    norm = float(np.linalg.norm(w))
    if w.shape != (2,) or norm == 0:
        raise ValueError(f"plot_weight_vector needs a nonzero w of shape (2,), got {w!r}")
    p = np.zeros(2) if at is None else np.asarray(at, dtype=float)
    start = p - (w @ p + b) / norm**2 * w  # orthogonal projection of p onto the line
    d = w if length is None else w / norm * length
    ax.annotate("", xy=start + d, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=2, mutation_scale=15))
    if label:
        ax.annotate(label, xy=start + 1.08 * d, ha="center", va="center", color=color,
                    fontsize=12, xytext=(6, 6), textcoords="offset points")
    return ax


def plot_boundary_history(history: Sequence[tuple[np.ndarray, float]], X: np.ndarray,
                          y: np.ndarray, ax=None, cmap: str = "viridis", colorbar: bool = True,
                          label: str = "update"):
    """The lines ``w . x + b = 0`` of a sequence of ``(w, b)``, early light, late dark.

    Draws the points ``X, y`` underneath and the last line thick; lines with
    ``w == 0`` (no boundary yet) are skipped. With ``colorbar``, a colour bar
    numbers the steps 1..len(history) under the name ``label``.
    """
    X, y = _check_xy(X, y, "plot_boundary_history")
    ax = ax or plt.gca()
    if len(history) == 0:
        raise ValueError("plot_boundary_history needs at least one (w, b)")
    plot_points(X, y, ax=ax)
    colors = plt.get_cmap(cmap)(np.linspace(0.9, 0.0, len(history)))
    for k, (w, b) in enumerate(history):
        last = k == len(history) - 1
        plot_line(w, b, X, ax=ax, color="black" if last else colors[k], lw=2.5 if last else 1.2,
                  alpha=1.0 if last else 0.8, zorder=3 if last else 2)
    if colorbar:
        sm = plt.cm.ScalarMappable(cmap=plt.get_cmap(cmap).reversed(),
                                   norm=plt.Normalize(1, max(len(history), 2)))
        ax.figure.colorbar(sm, ax=ax, label=label, fraction=0.046, pad=0.04)
    return ax


def plot_curve(values: Sequence[float], ax=None, x: Sequence[float] | None = None,
               xlabel: str = "epoch", ylabel: str | None = None, label: str | None = None,
               **kw):
    """A training curve: ``values`` against ``x`` (default 1, 2, ...), with markers when short."""
    ax = ax or plt.gca()
    values = np.asarray(values, dtype=float)
    if values.ndim != 1:
        raise ValueError(f"plot_curve needs a 1-D sequence, got shape {values.shape}")
    x = np.arange(1, len(values) + 1) if x is None else np.asarray(x)
    if x.shape != values.shape:
        raise ValueError(f"x has shape {x.shape} but values have shape {values.shape}")
    if len(values) <= 40:
        kw.setdefault("marker", "o")
        kw.setdefault("markersize", 4)
    ax.plot(x, values, label=label, **kw)
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    return ax


def two_class_cmap() -> LinearSegmentedColormap:
    """Class-0 colour -> white -> class-1 colour, for probabilities of class 1."""
    return LinearSegmentedColormap.from_list("two_class", [CLASS_COLORS[0], "#ffffff", CLASS_COLORS[1]])


def plot_probability_map(proba: Callable[[np.ndarray], np.ndarray], X: np.ndarray, y: np.ndarray,
                         ax=None, n: int = 200, colorbar: bool = False, contour: float | None = 0.5):
    """Colour the plane by ``proba(points) -> (M,)`` in [0, 1], the chance of class 1.

    Draws the ``contour`` level (default 0.5, the decision boundary) as a
    dashed line and the points ``X, y`` on top.
    """
    X, y = _check_xy(X, y, "plot_probability_map")
    ax = ax or plt.gca()
    xx, yy, grid = grid_for(X, n=n)
    p = np.asarray(proba(grid), dtype=float).reshape(xx.shape)
    im = ax.contourf(xx, yy, p, levels=np.linspace(0, 1, 11), cmap=two_class_cmap(), alpha=0.8)
    if contour is not None and p.min() < contour < p.max():
        ax.contour(xx, yy, p, levels=[contour], colors="black", linestyles="--", linewidths=1.2)
    plot_points(X, y, ax=ax)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, label="P(class 1)", fraction=0.046, pad=0.04)
    return ax


def plot_network(layer_sizes: Sequence[int], ax=None, weights: Sequence[np.ndarray] | None = None,
                 biases: Sequence[np.ndarray] | None = None,
                 layer_names: Sequence[str] | None = None,
                 node_labels: Sequence[Sequence[str]] | None = None,
                 output_labels: Sequence[str] | None = None, fmt: str = "{:g}"):
    """Diagram of a fully connected network with ``layer_sizes`` neurons per layer.

    ``weights[l]`` of shape ``(layer_sizes[l], layer_sizes[l + 1])`` (the
    course's ``X @ W + b`` convention) labels the edges; ``biases[l]`` of shape
    ``(layer_sizes[l + 1],)`` labels the neurons of layer ``l + 1``;
    ``node_labels[l][j]`` is written inside neuron ``j`` of layer ``l``, and
    ``output_labels`` adds an arrow with a label leaving each output neuron.
    """
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"plot_network needs >= 2 layers of >= 1 neuron, got {list(layer_sizes)}")
    for name, arrays, shape_of in (
        ("weights", weights, lambda l: (sizes[l], sizes[l + 1])),
        ("biases", biases, lambda l: (sizes[l + 1],)),
    ):
        if arrays is None:
            continue
        if len(arrays) != len(sizes) - 1:
            raise ValueError(f"{name} needs {len(sizes) - 1} arrays, got {len(arrays)}")
        for l, a in enumerate(arrays):
            if np.shape(a) != shape_of(l):
                raise ValueError(f"{name}[{l}] should have shape {shape_of(l)}, got {np.shape(a)}")
    if node_labels is not None and [len(c) for c in node_labels] != sizes:
        raise ValueError(f"node_labels needs {sizes} labels per layer, got {[len(c) for c in node_labels]}")
    if output_labels is not None and len(output_labels) != sizes[-1]:
        raise ValueError(f"output_labels needs {sizes[-1]} labels, got {len(output_labels)}")
    ax = ax or plt.gca()
    height = max(sizes)
    dx = max(1.8, 0.9 * height)  # wide enough for the edge labels to stay apart
    pos = [[(i * dx, (s - 1) / 2 - j) for j in range(s)] for i, s in enumerate(sizes)]
    r = 0.22
    label_box = dict(boxstyle="round,pad=0.15", fc="white", ec="none")
    for l in range(len(sizes) - 1):
        for j, (x0, y0) in enumerate(pos[l]):
            for k, (x1, y1) in enumerate(pos[l + 1]):
                ax.plot([x0 + r, x1 - r], [y0, y1], color="0.55", lw=1, zorder=1)
                if weights is not None:
                    t = 0.3  # label near the start of the edge, where edges are apart
                    ax.text(x0 + r + t * (x1 - x0 - 2 * r), y0 + t * (y1 - y0),
                            fmt.format(float(weights[l][j, k])), ha="center", va="center",
                            fontsize=9, zorder=3, bbox=label_box)
    for l, column in enumerate(pos):
        for j, (x, y_) in enumerate(column):
            face = "#e8eef7" if l == 0 else ("#fde9d6" if l == len(sizes) - 1 else "white")
            ax.add_patch(plt.Circle((x, y_), r, fc=face, ec="0.2", lw=1.2, zorder=2))
            if node_labels is not None:
                ax.text(x, y_, node_labels[l][j], ha="center", va="center", fontsize=10, zorder=3)
            if biases is not None and l > 0:
                ax.text(x, y_ + r + 0.06, "b=" + fmt.format(float(biases[l - 1][j])),
                        ha="center", va="bottom", fontsize=9, zorder=3, bbox=label_box)
    right = (len(sizes) - 1) * dx + 0.5
    if output_labels is not None:
        for (x, y_), text in zip(pos[-1], output_labels):
            ax.annotate("", xy=(x + r + 0.7, y_), xytext=(x + r, y_),
                        arrowprops=dict(arrowstyle="-|>", color="0.2", lw=1.2))
            ax.text(x + r + 0.8, y_, text, ha="left", va="center", fontsize=10)
        right += 1.1
    top = (height - 1) / 2 + r + (0.45 if biases is not None else 0.15)
    if layer_names is not None:
        for l, name in enumerate(layer_names):
            ax.text(l * dx, top + 0.1, name, ha="center", va="bottom", fontsize=10)
        top += 0.5
    ax.set_xlim(-0.5, right)
    ax.set_ylim(-(height - 1) / 2 - r - 0.15, top)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
