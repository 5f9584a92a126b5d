"""Schematic diagrams of the book, drawn with matplotlib (no web service, no
binary files): each function draws one diagram into a new figure and returns
the figure. A chapter calls it from a hidden cell with a numbered caption.

The diagrams use the course style of :mod:`nncourse.plotting` and its colours.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from .plotting import CLASS_COLORS, use_course_style

__all__: list[str] = []


def _box(ax, x, y, w, h, text="", color="#dddddd", fontsize=9, **kw):
    """A rounded box with centred text; (x, y) is its lower-left corner."""
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.02,rounding_size=0.05",
                                facecolor=color, edgecolor="black", linewidth=0.8, **kw))
    if text:
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=fontsize)


def _arrow(ax, start, end, color="black", **kw):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10, color=color,
                                 linewidth=1.0, shrinkA=0, shrinkB=0, **kw))


def _canvas(width: float, height: float, figsize=(7.0, 3.2)):
    """A figure with one axes in data units [0, width] x [0, height], no ticks or grid."""
    use_course_style()
    fig, ax = plt.subplots(figsize=figsize)
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


# ---------------------------------------------------------------- chapter 6: im2col, receptive fields
import numpy as np  # noqa: E402  (chapter 6's diagrams compute what they draw)

__all__ += ["im2col_diagram", "receptive_field_diagram"]

_WINDOW_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"]   # one per output position
_FILTER_COLORS = ["#bbbbbb", "#777777"]                           # one per filter


def _ch6_tint(color, alpha=0.35):
    """``color`` mixed with white: a light background for a cell with text on it."""
    from matplotlib.colors import to_rgb

    return tuple(1 - alpha * (1 - c) for c in to_rgb(color))


def _ch6_cells(ax, x, y, values, size, faces=None, fontsize=8, edge="0.4"):
    """A grid of square cells, row 0 at the top, (x, y) the lower-left corner;
    ``values`` a 2-D array of numbers (NaN: no text), ``faces`` colours per cell."""
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            face = "white" if faces is None else faces[r][c]
            ax.add_patch(Rectangle((x + c * size, y + (rows - 1 - r) * size), size, size,
                                   facecolor=face, edgecolor=edge, linewidth=0.6))
            if not np.isnan(values[r, c]):
                ax.text(x + (c + 0.5) * size, y + (rows - 0.5 - r) * size, f"{values[r, c]:g}",
                        ha="center", va="center", fontsize=fontsize)


def im2col_diagram():
    """im2col on one 4 x 4 image (pixels 0 to 15), a 3 x 3 kernel and two filters:
    each window becomes a column of a (9, 4) matrix, each filter a row of a (2, 9)
    matrix, and one matrix product gives the two 2 x 2 feature maps."""
    from .conv import im2col

    image = np.arange(16.0).reshape(4, 4)
    cols = im2col(image[None, None], 3, 3)                        # (9, 4)
    windows = [(0, 0), (0, 1), (1, 0), (1, 1)]
    fig, ax = _canvas(12.0, 6.7, figsize=(8.6, 4.8))
    blank = np.full((3, 3), np.nan)

    # the image, with the window of output (0, 1) outlined
    ax.text(1.2, 5.05, "image (4 x 4)", ha="center", fontsize=9)
    _ch6_cells(ax, 0.2, 2.8, image, 0.5)
    i, j = windows[1]
    ax.add_patch(Rectangle((0.2 + j * 0.5, 2.8 + (1 - i) * 0.5), 1.5, 1.5, fill=False,
                           edgecolor=_WINDOW_COLORS[1], linewidth=2.5))
    ax.text(1.2, 2.45, "window of output (0, 1)", ha="center", fontsize=8,
            color=_WINDOW_COLORS[1])

    # the four 3 x 3 windows, one per output position
    ax.text(4.81, 5.05, "its 4 windows, one per output (i, j)", ha="center", fontsize=9)
    for k, (i, j) in enumerate(windows):
        x = 2.92 + k * 0.98
        face = [[_ch6_tint(_WINDOW_COLORS[k])] * 3] * 3
        _ch6_cells(ax, x, 3.3, image[i:i + 3, j:j + 3], 0.28, faces=face, fontsize=7)
        ax.text(x + 0.42, 4.3, f"({i}, {j})", ha="center", fontsize=8, color=_WINDOW_COLORS[k])
    _arrow(ax, (6.75, 3.75), (6.95, 3.75))

    # cols: one column per window
    cw, x0 = 0.42, 7.0
    faces = [[_ch6_tint(_WINDOW_COLORS[k]) for k in range(4)] for _ in range(9)]
    _ch6_cells(ax, x0, 1.6, cols, cw, faces=faces)
    ax.text(x0 + 2 * cw, 5.9, "im2col: one column\nper window (9 x 4)", ha="center",
            va="bottom", fontsize=9)
    for k, (i, j) in enumerate(windows):
        ax.text(x0 + (k + 0.5) * cw, 5.45, f"{i},{j}", ha="center", fontsize=7,
                color=_WINDOW_COLORS[k])
    for r in range(9):
        u, v = divmod(r, 3)
        ax.text(x0 + 4 * cw + 0.08, 1.6 + (8.5 - r) * cw, f"u,v = {u},{v}", va="center",
                fontsize=7, color="0.3")

    # the filters, flattened to the rows of W; the product; the feature maps
    yb = 0.6                                                       # the bottom row
    for f in range(2):
        _ch6_cells(ax, 0.3 + f * 1.0, yb, blank, 0.28, faces=[[_FILTER_COLORS[f]] * 3] * 3)
    ax.text(1.2, yb - 0.3, "2 filters (3 x 3)", ha="center", va="center", fontsize=9)
    _arrow(ax, (2.25, yb + cw), (2.85, yb + cw))
    wx = x0 - 0.3 - 9 * cw
    _ch6_cells(ax, wx, yb, np.full((2, 9), np.nan), cw,
           faces=[[_FILTER_COLORS[f]] * 9 for f in range(2)])
    ax.text(wx + 4.5 * cw, yb - 0.3, "W: one row per filter (2 x 9)", ha="center",
            va="center", fontsize=9)
    faces = [[_ch6_tint(_WINDOW_COLORS[k], 0.35 if f == 0 else 0.8) for k in range(4)]
             for f in range(2)]
    _ch6_cells(ax, x0, yb, np.full((2, 4), np.nan), cw, faces=faces)
    ax.text(x0 + 2 * cw, yb - 0.3, "Y = W @ cols", ha="center", va="center", fontsize=9)
    _arrow(ax, (x0 + 4 * cw + 0.15, yb + cw), (10.25, yb + cw))
    for f in range(2):
        face = [[_ch6_tint(_WINDOW_COLORS[2 * i + j], 0.35 if f == 0 else 0.8) for j in range(2)]
                for i in range(2)]
        _ch6_cells(ax, 10.4 + f * 0.8, yb + 0.12, np.full((2, 2), np.nan), 0.3, faces=face)
        ax.text(10.7 + f * 0.8, yb + 0.85, f"map {f}", ha="center", fontsize=8)
    ax.text(11.0, yb - 0.3, "reshaped: 2 x 2 maps", ha="center", va="center", fontsize=9)
    return fig


def _ch6_layer_units(layers, n):
    """Per layer (the input first): the centres of its units in input pixels, their spacing
    (the product of the strides below), and how many there are, for an input of ``n``
    pixels without padding."""
    centres, jump = np.arange(float(n)), 1
    out = [(centres, jump)]
    for k, s in layers:
        m = (len(centres) - k) // s + 1
        centres = np.array([centres[s * i:s * i + k].mean() for i in range(m)])
        jump *= s
        out.append((centres, jump))
    return out


def _ch6_receptive_stack(ax, layers, names, n, top, y0, title):
    """One stack of 1-D layers (input at the bottom): the units that unit ``top`` of the
    last layer depends on are highlighted, each layer's receptive field is on the right."""
    from .conv import receptive_field

    units = _ch6_layer_units(layers, n)
    spans = [(top, top)]                     # the highlighted units of each layer, top down
    for k, s in reversed(layers):
        lo, hi = spans[-1]
        spans.append((s * lo, s * hi + k - 1))
    spans = spans[::-1]                      # input first
    row = 1.0
    for l, ((centres, jump), (lo, hi), name) in enumerate(zip(units, spans, ["input"] + names)):
        y = y0 + l * row
        for i, c in enumerate(centres):
            lit = lo <= i <= hi
            face = (_ch6_tint(CLASS_COLORS[0], 0.9 if l == len(layers) else 0.45) if lit
                    else "white")
            ax.add_patch(Rectangle((c - jump / 2 + 0.05, y), jump - 0.1, 0.55, facecolor=face,
                                   edgecolor="0.4", linewidth=0.6))
        ax.text(-0.9, y + 0.27, name, ha="right", va="center", fontsize=9)
        r = receptive_field(layers[:l])
        left, right = centres[lo] - jump / 2, centres[hi] + jump / 2
        ax.text(n + 0.3, y + 0.27, f"r = {r}" if l else "1 pixel", va="center", fontsize=9)
        if l:                                              # the cone down to the layer below
            (bc, bj), (blo, bhi) = units[l - 1], spans[l - 1]
            ax.fill([left, right, bc[bhi] + bj / 2, bc[blo] - bj / 2],
                    [y, y, y - row + 0.55, y - row + 0.55], color=CLASS_COLORS[0], alpha=0.2,
                    linewidth=0)
    ax.text(-6.5, y0 + len(layers) * row + 1.0, title, fontsize=9.5, va="center")


def receptive_field_diagram():
    """How far one unit sees: stacked 3 x 3 convolutions grow the receptive field by 2
    pixels per layer; a 2 x 2 pooling with stride 2 doubles the step of every later layer
    (chapter 6's CNN: 3, 4, 8, 10 pixels). One dimension, no padding."""
    n = 18
    fig, ax = _canvas(n + 8.6, 11.8, figsize=(8.4, 3.8))
    ax.set_xlim(-6.6, n + 2.0)
    stride1 = [(3, 1)] * 3
    cnn = [(3, 1), (2, 2), (3, 1), (2, 2)]
    pool = "max-pool 2x2, stride 2"
    _ch6_receptive_stack(ax, cnn, ["conv 3x3", pool, "conv 3x3", pool], n, 1, 0.1,
                         "(b) the chapter's CNN: pooling doubles the step of the layers above it")
    _ch6_receptive_stack(ax, stride1, ["conv 3x3"] * 3, n, 5, 6.5,
                         "(a) three 3x3 convolutions, stride 1: the field grows by 2 per layer")
    return fig


# ---------------------------------------------------------------- chapter 7: the LSTM cell
# (chapter 7's diagram goes here)
__all__ += ["lstm_cell_diagram"]


def lstm_cell_diagram(figsize=(7.6, 3.7)):
    """One LSTM step: the gates f, i, g, o computed from ``x_t`` and
    ``h_{t-1}`` by one affine map, the cell path ``c_{t-1} -> c_t`` along the
    top (one product with f, one sum, no weight matrix) and the hidden path
    ``h_{t-1} -> W_h -> gates -> c_t, h_t``. Returns the figure."""
    from matplotlib.patches import Circle

    cell, hidden = CLASS_COLORS[1], CLASS_COLORS[0]
    fig, ax = _canvas(10.4, 5.1, figsize=figsize)
    y_c, y_g, y_a = 4.5, 2.55, 1.15               # cell line, gates, affine map

    def node(x, y, sym, color="black"):
        ax.add_patch(Circle((x, y), 0.22, facecolor="white", edgecolor=color,
                            linewidth=1.4, zorder=3))
        ax.text(x, y, sym, ha="center", va="center", fontsize=12, zorder=4)

    def line(points, color="black", lw=1.0):
        """A polyline through ``points`` with an arrow head at the end."""
        for a, b in zip(points[:-2], points[1:-1]):
            ax.plot([a[0], b[0]], [a[1], b[1]], color=color, lw=lw)
        ax.add_patch(FancyArrowPatch(points[-2], points[-1], color=color,
                                     arrowstyle="-|>", linewidth=lw,
                                     mutation_scale=9 + 2 * lw,
                                     shrinkA=0, shrinkB=0))

    # the cell path, along the top
    x_f, x_plus, x_out = 2.8, 4.55, 7.6
    line([(0.9, y_c), (x_f - 0.22, y_c)], cell, 2.6)
    line([(x_f + 0.22, y_c), (x_plus - 0.22, y_c)], cell, 2.6)
    line([(x_plus + 0.22, y_c), (9.3, y_c)], cell, 2.6)
    ax.text(0.8, y_c, "$c_{t-1}$", ha="right", va="center", fontsize=11)
    ax.text(9.4, y_c, "$c_t$", ha="left", va="center", fontsize=11)
    node(x_f, y_c, r"$\times$", cell)
    node(x_plus, y_c, "$+$", cell)
    ax.text(6.9, y_c + 0.3, r"cell path: $\partial c_t / \partial c_{t-1}"
            r" = \mathrm{diag}(f)$, no weight matrix", color=cell,
            ha="center", va="bottom", fontsize=9)

    # the affine map that computes all four pre-activations
    _box(ax, 2.2, y_a - 0.35, 5.0, 0.7,
         r"$x_t W_x + h_{t-1} W_h + b$  $\to$  $a_i, a_f, a_g, a_o$",
         color="#eeeeee", fontsize=9)
    line([(0.9, y_a), (2.2, y_a)], hidden, 2.0)
    ax.text(0.8, y_a, "$h_{t-1}$", ha="right", va="center", fontsize=11)
    line([(4.7, 0.0), (4.7, y_a - 0.37)])
    ax.text(4.8, 0.1, "$x_t$", ha="left", va="center", fontsize=11)

    # the four gates
    gates = {"f": (x_f, r"$f = \sigma$"), "i": (3.95, r"$i = \sigma$"),
             "g": (5.15, r"$g = \tanh$"), "o": (6.45, r"$o = \sigma$")}
    for x, label in gates.values():
        _box(ax, x - 0.5, y_g - 0.27, 1.0, 0.54, label, color="#fff2cc",
             fontsize=8.5)
        line([(x, y_a + 0.37), (x, y_g - 0.29)], hidden, 1.4)
    line([(x_f, y_g + 0.29), (x_f, y_c - 0.24)])               # f * c_{t-1}
    node(x_plus, 3.55, r"$\times$")                            # i * g
    line([(3.95, y_g + 0.29), (3.95, 3.3), (x_plus - 0.2, 3.45)])
    line([(5.15, y_g + 0.29), (5.15, 3.3), (x_plus + 0.2, 3.45)])
    line([(x_plus, 3.77), (x_plus, y_c - 0.24)])

    # the output: h_t = o * tanh(c_t)
    ax.plot([x_out, x_out], [y_c, 3.85], color=cell, lw=1.4)
    _box(ax, x_out - 0.42, 3.3, 0.84, 0.5, r"$\tanh$", color="#fff2cc",
         fontsize=9)
    line([(x_out, 3.28), (x_out, y_g + 0.24)])
    node(x_out, y_g, r"$\times$", hidden)
    line([(6.45 + 0.52, y_g), (x_out - 0.24, y_g)])
    line([(x_out + 0.22, y_g), (9.3, y_g)], hidden, 2.0)
    ax.text(9.4, y_g, "$h_t$", ha="left", va="center", fontsize=11)
    ax.text(8.5, y_g - 0.3, "hidden path:\n" r"$h_t$ enters the next"
            "\nstep's gates via $W_h$", color=hidden, ha="center", va="top",
            fontsize=9)
    return fig


# ---------------------------------------------------------------- chapter 8: the head split
__all__ += ["head_split", "transformer_block"]

_HEAD_TINTS = ["#c6dbef", "#fdd0a2", "#c7e9c0", "#fcbba1", "#dadaeb", "#d9d9d9"]


def head_split(n_heads: int = 4):
    """Multi-head attention as a picture: the ``d_model`` channels of Q, K and V
    are cut into ``n_heads`` consecutive slices of width ``d``, each head attends
    on its own slice, the heads' outputs are concatenated back to ``d_model``
    channels and ``W_o`` mixes them. Returns the figure."""
    if not 1 <= n_heads <= len(_HEAD_TINTS):
        raise ValueError(f"n_heads must be in 1..{len(_HEAD_TINTS)}, got {n_heads}")
    fig, ax = _canvas(12.2, 8.2, figsize=(7.6, 4.4))
    ax.set_ylim(1.1, 8.2)
    x0, seg = 1.6, 8.0 / n_heads                  # the d_model bar: x0 .. x0 + 8
    centres = [x0 + seg * (i + 0.5) for i in range(n_heads)]

    def bar(y, labels, h=0.42, name="", colors=None):
        for i in range(n_heads):
            color = (colors or _HEAD_TINTS)[i]
            _box(ax, x0 + seg * i, y, seg, h, labels[i] if labels else "", color, fontsize=8.5)
        if name:
            ax.text(x0 - 0.15, y + h / 2, name, ha="right", va="center", fontsize=9)

    # Q, K, V = X Wq, X Wk, X Wv, each (T, d_model)
    ax.annotate("", xy=(x0, 7.65), xytext=(x0 + 8, 7.65),
                arrowprops=dict(arrowstyle="<->", lw=0.8))
    ax.text(x0 + 4, 7.78, "$d_{model}$ channels = n_heads $\\times$ $d$", ha="center",
            va="bottom", fontsize=9)
    for k, (name, y) in enumerate((("$Q = XW_q$", 6.95), ("$K = XW_k$", 6.45),
                                   ("$V = XW_v$", 5.95))):
        bar(y, [f"$d$" if k == 0 else "" for _ in range(n_heads)], name=name)
    ax.text(x0 + 8.15, 6.66, "(T, $d_{model}$)\neach", ha="left", va="center", fontsize=8)
    # one attention per head, on its own slice
    for i, c in enumerate(centres):
        _arrow(ax, (c, 5.9), (c, 5.05))
        _box(ax, c - seg / 2 + 0.08, 3.85, seg - 0.16, 1.15, f"head {i + 1}\nattends",
             _HEAD_TINTS[i], fontsize=8.5)
        _arrow(ax, (c, 3.8), (c, 3.05))
    ax.text(x0 + 8.15, 4.42, "head $i$:\nsoftmax$(Q_iK_i^T/\\sqrt{d})\\,V_i$\n(T, $d$) each",
            ha="left", va="center", fontsize=8)
    # concatenate, then mix with W_o
    bar(2.6, [f"out {i + 1}" for i in range(n_heads)], name="concat")
    ax.text(x0 + 8.15, 2.81, "(T, $d_{model}$)", ha="left", va="center", fontsize=8)
    _arrow(ax, (x0 + 4, 2.55), (x0 + 4, 1.75))
    ax.text(x0 + 4.15, 2.12, "$\\times\\, W_o$  ($d_{model} \\times d_{model}$): mixes the heads",
            ha="left", va="center", fontsize=8.5)
    _box(ax, x0, 1.25, 8.0, 0.45, "MHA(X)   (T, $d_{model}$)", "#e5e5e5", fontsize=9)
    return fig


def transformer_block():
    """Left: a pre-LN transformer block, the residual stream (thick line) with two
    branches that each read a normalised copy and add their result back. Right:
    the GPT around the blocks. Returns the figure."""
    use_course_style()
    fig, axes = plt.subplots(1, 2, figsize=(8, 5.2), width_ratios=[1.2, 1])

    def box(ax, xy, text, color, w=1.9, h=0.5):
        _box(ax, xy[0] - w / 2, xy[1] - h / 2, w, h, text, color)

    ax = axes[0]
    ax.plot([0, 0], [0, 7.2], color="black", lw=3, zorder=0)
    for y0, sub, color in ((1.0, "causal multi-head\nself-attention", "#fdd9b5"),
                           (4.2, "MLP: Linear(C, d_ff),\nGELU, Linear(d_ff, C)", "#c6dbef")):
        ax.plot([0, 1.6, 1.6], [y0, y0, y0 + 0.45], color="black", lw=1)
        box(ax, (1.6, y0 + 0.7), "LayerNorm", "#e5e5e5", h=0.4)
        box(ax, (1.6, y0 + 1.6), sub, color, h=0.8)
        _arrow(ax, (1.6, y0 + 0.9), (1.6, y0 + 1.2))
        ax.plot([1.6, 1.6], [y0 + 2.0, y0 + 2.5], color="black", lw=1)
        _arrow(ax, (1.6, y0 + 2.5), (0.15, y0 + 2.5))
        ax.text(0, y0 + 2.5, "+", ha="center", va="center", zorder=4,
                bbox=dict(boxstyle="circle,pad=0.15", facecolor="white", edgecolor="black"))
    ax.text(-0.2, 0.1, "x (B, T, C)", ha="right", fontsize=9)
    ax.text(-0.2, 7.0, "x (B, T, C)", ha="right", fontsize=9)
    ax.set(xlim=(-1.8, 3.0), ylim=(-0.3, 7.5), title="one block (pre-LN)")
    ax = axes[1]
    stack = [("token ids (B, T)", "white"), ("token embedding\n(+ positions)", "#d9f0d3"),
             ("block 1", "#fff2cc"), ("...", "white"), ("block n_layer", "#fff2cc"),
             ("final LayerNorm", "#e5e5e5"), ("linear head\nlogits (B, T, V)", "#d9f0d3")]
    for i, (text, color) in enumerate(stack):
        box(ax, (0, 0.3 + 1.05 * i), text, color, w=2.2, h=0.6)
        if i:
            _arrow(ax, (0, 0.6 + 1.05 * (i - 1)), (0, 1.05 * i))
    ax.set(xlim=(-1.6, 1.6), ylim=(-0.3, 7.5), title="GPT")
    for ax in axes:
        ax.axis("off")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- chapter 9: ring all-reduce
# (chapter 9's diagram goes here)
__all__ += ["ring_allreduce_states", "ring_allreduce_diagram"]


def ring_allreduce_states(n: int = 4) -> list[tuple[str, list[list[frozenset]], dict]]:
    """The ring all-reduce of ``n`` devices, step by step, as a list of
    ``(title, held, sent)``: ``held[r][j]`` is the set of devices whose part
    of chunk ``j`` device ``r`` holds (summed), ``sent`` maps each device
    ``r`` to the chunk it sent to device ``(r + 1) % n`` in that step.
    Reduce-scatter (``n - 1`` steps, the receiver adds) then all-gather
    (``n - 1`` steps, the receiver overwrites)."""
    if n < 2:
        raise ValueError(f"a ring needs at least 2 devices, got n={n}")
    held = [[frozenset({r}) for _ in range(n)] for r in range(n)]
    states = [("start", held, {})]
    for phase in ("reduce-scatter", "all-gather"):
        for s in range(n - 1):
            first = 0 if phase == "reduce-scatter" else 1
            sent = {r: (r + first - s) % n for r in range(n)}
            new = [row[:] for row in held]
            for r, j in sent.items():
                dst = (r + 1) % n
                new[dst][j] = (held[dst][j] | held[r][j]
                               if phase == "reduce-scatter" else held[r][j])
            held = new
            states.append((f"{phase}, step {s + 1}", held, sent))
    return states


def ring_allreduce_diagram(n: int = 4, figsize=(9.0, 3.4)):
    """Ring all-reduce of ``n`` GPUs, one panel per step, and the ring.

    Each GPU is a column of ``n`` chunks (A, B, ...); a cell says whose parts
    it holds summed (``B:12`` is GPU 1's part of chunk B plus GPU 2's,
    ``B:all`` the full sum); arrows are the chunks sent to the next GPU in
    that step (dotted: from the last GPU round to GPU 0), and a red frame
    marks each chunk that arrived. Returns the figure."""
    import numpy as np
    from matplotlib.patches import Circle

    states = ring_allreduce_states(n)
    use_course_style()
    fig, axes = plt.subplots(2, n, figsize=figsize)
    cmap = plt.get_cmap("Blues")
    red = CLASS_COLORS[3]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    cw, ch, gap = 1.1, 0.6, 0.45            # cell width and height; gap between GPUs
    width = n * cw + (n - 1) * gap
    x0 = [r * (cw + gap) for r in range(n)]
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= len(states):                 # the spare panel: the ring itself
            ax.set(xlim=(-1.6, 1.6), ylim=(-1.6, 1.6), aspect="equal")
            ax.set_title("the ring", fontsize=9)
            for r in range(n):
                angle = np.pi / 2 - 2 * np.pi * r / n
                ax.add_patch(Circle((np.cos(angle), np.sin(angle)), 0.45,
                                    facecolor="#eeeeee", edgecolor="black",
                                    linewidth=0.8))
                ax.text(np.cos(angle), np.sin(angle), f"GPU {r}", ha="center",
                        va="center", fontsize=7.5)
                a0, a1 = angle - 0.55, angle - 2 * np.pi / n + 0.55
                ax.add_patch(FancyArrowPatch(
                    (np.cos(a0), np.sin(a0)), (np.cos(a1), np.sin(a1)),
                    arrowstyle="-|>", mutation_scale=10, color=red,
                    connectionstyle="arc3,rad=-0.2", linewidth=1.2,
                    shrinkA=0, shrinkB=0))
            continue
        title, held, sent = states[k]
        ax.set(xlim=(-0.6, width + 0.6), ylim=(-0.45, n * ch + 0.75),
               aspect="equal")
        ax.set_title(title, fontsize=9)
        for r in range(n):
            ax.text(x0[r] + cw / 2, n * ch + 0.12, f"GPU {r}", ha="center",
                    va="bottom", fontsize=8)
            for j in range(n):
                who, y = held[r][j], (n - 1 - j) * ch
                arrived = bool(sent) and sent[(r - 1) % n] == j
                ax.add_patch(Rectangle(
                    (x0[r], y), cw, ch,
                    facecolor=cmap(0.15 + 0.7 * (len(who) - 1) / (n - 1)),
                    edgecolor=red if arrived else "black",
                    linewidth=1.8 if arrived else 0.6))
                parts = "all" if len(who) == n else "".join(map(str, sorted(who)))
                ax.text(x0[r] + cw / 2, y + ch / 2, f"{letters[j]}:{parts}",
                        ha="center", va="center", fontsize=7.5,
                        color="white" if len(who) > n / 2 else "black")
        for r, j in sent.items():
            y, dst = (n - 1 - j) * ch + ch / 2, (r + 1) % n
            if dst > r:
                ax.add_patch(FancyArrowPatch(
                    (x0[r] + cw, y), (x0[dst], y), arrowstyle="-|>",
                    mutation_scale=8, color=red, linewidth=1.2))
            else:                            # round the ring: out on the right, in on the left
                ax.add_patch(FancyArrowPatch(
                    (x0[r] + cw, y), (width + 0.5, y), arrowstyle="-",
                    color=red, linewidth=1.2, linestyle=":"))
                ax.add_patch(FancyArrowPatch(
                    (-0.5, y), (x0[dst], y), arrowstyle="-|>", mutation_scale=8,
                    color=red, linewidth=1.2, linestyle=":"))
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.93,
                        wspace=0.05, hspace=0.25)
    return fig


# ---------------------------------------------------------------- chapter 10: the residual block
__all__ += ["residual_block_diagram"]


def residual_block_diagram(figsize=(8.0, 4.0)):
    """Three blocks side by side, read from the bottom up: (a) a plain block, conv
    3x3 -> BN -> ReLU -> conv 3x3 -> BN -> ReLU; (b) the residual block with the
    identity shortcut (same shape in and out); (c) the residual block that changes
    the shape (stride 2, more channels), whose shortcut is conv 1x1 with that
    stride and BN. The shortcut (thick line) is added to the branch's output
    before the last ReLU; no convolution has a bias. Returns the figure."""
    use_course_style()
    fig, axes = plt.subplots(1, 3, figsize=figsize)
    layers = [("conv 3x3{s}", "#c6dbef"), ("batch norm", "#e5e5e5"), ("ReLU", "#fdd9b5"),
              ("conv 3x3", "#c6dbef"), ("batch norm", "#e5e5e5")]
    panels = [("(a) plain block", None, "x (N, C, H, W)", "(N, C, H, W)"),
              ("(b) residual block,\nidentity shortcut", "identity", "x (N, C, H, W)", "(N, C, H, W)"),
              ("(c) residual block,\nprojection shortcut", "projection",
               "x (N, C, H, W)", "(N, 2C, ⌈H/2⌉, ⌈W/2⌉)")]
    w, h, step = 2.1, 0.42, 0.62                 # box width and height, distance between boxes
    for ax, (title, shortcut, x_in, x_out) in zip(axes, panels):
        ax.set(xlim=(-1.25, 2.6), ylim=(-0.55, 5.3), title=title)
        ax.title.set_fontsize(9)
        ax.axis("off")
        stride = " stride 2" if shortcut == "projection" else ""
        ax.text(0, -0.35, x_in, ha="center", va="center", fontsize=8)
        y = 0.35
        _arrow(ax, (0, -0.2), (0, y))
        for i, (name, color) in enumerate(layers):
            _box(ax, -w / 2, y, w, h, name.format(s="," + stride if i == 0 and stride else ""), color, fontsize=7.5)
            if i < len(layers) - 1:
                _arrow(ax, (0, y + h), (0, y + step))
            y += step
        top = y - step + h                       # the top of the last batch norm
        plus = top + 0.35
        relu = plus + 0.4
        if shortcut is None:
            _arrow(ax, (0, top), (0, relu))
        else:
            _arrow(ax, (0, top), (0, plus - 0.15))
            ax.text(0, plus, "+", ha="center", va="center", fontsize=11, zorder=4,
                    bbox=dict(boxstyle="circle,pad=0.12", facecolor="white", edgecolor="black"))
            xs = 1.85                            # the shortcut runs up on the right
            ax.plot([0, xs, xs], [-0.12, -0.12, plus], color="black", lw=2.6, solid_capstyle="butt",
                    zorder=0)
            _arrow(ax, (xs, plus), (0.17, plus))
            if shortcut == "identity":
                ax.text(xs + 0.08, 2.0, "identity", rotation=90, ha="left", va="center", fontsize=8)
            else:
                _box(ax, xs - 0.6, 1.2, 1.2, 0.6, "conv 1x1,\nstride 2", "#c6dbef", fontsize=7.5)
                _box(ax, xs - 0.6, 2.2, 1.2, 0.42, "batch norm", "#e5e5e5", fontsize=7.5)
        _box(ax, -w / 2, relu, w, h, "ReLU", "#fdd9b5", fontsize=7.5)
        if shortcut is not None:
            _arrow(ax, (0, plus + 0.17), (0, relu))
        _arrow(ax, (0, relu + h), (0, relu + h + 0.3))
        ax.text(0, relu + h + 0.5, x_out, ha="center", va="center", fontsize=8)
    fig.tight_layout()
    return fig
