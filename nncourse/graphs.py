"""Computational graphs drawn with matplotlib alone (no Graphviz needed).

A graph is a dict of nodes ``{key: GraphNode}`` and a list of directed edges
``[(src_key, dst_key), ...]``; it must be acyclic. ``draw_graph`` lays it out
left to right in columns (inputs on the left, the output on the right), draws
values as rounded boxes and operations as circles, and routes edges that skip
columns around the boxes in between. ``trace_graph`` builds such a graph from
any micrograd-style scalar autograd node: an object with ``data``, ``grad``,
the nodes it was computed from (``_prev``) and the name of the operation that
made it (``_op``).

Example::

    nodes = {"x": GraphNode("x = 2"), "sq": GraphNode("**2", kind="op"),
             "y": GraphNode("y = 4", note="grad 1")}
    draw_graph(nodes, [("x", "sq"), ("sq", "y")])

The layout is the classic layered ("Sugiyama") recipe in a simple form:
columns from the longest paths, a dummy node in every column an edge skips,
barycentre sweeps to reduce crossings, then vertical positions that keep each
node level with its neighbours as far as the spacing allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Hashable, Iterable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

VALUE_FACE = "#eef4fb"   # light blue boxes for values
OP_FACE = "#fdf1e2"      # light orange circles for operations
EDGE_COLOR = "#555555"
NOTE_COLOR = "#c0392b"   # red, for gradients written under a value


@dataclass
class GraphNode:
    """One node to draw.

    ``text``: its label in black (may span several lines). ``note``: a second
    label below it in red, for instance a gradient. ``kind``: ``"value"``
    (rounded box) or ``"op"`` (circle).
    """

    text: str
    note: str = ""
    kind: str = "value"

    def __post_init__(self):
        if self.kind not in ("value", "op"):
            raise ValueError(f"kind must be 'value' or 'op', got {self.kind!r}")


@dataclass
class Layout:
    """Where ``draw_graph`` puts things, in inches.

    ``boxes[key] = (x, y, half_width, half_height)`` for every node (an op's
    circle has half_width == half_height == its radius); ``routes[i]`` lists
    the points the i-th edge passes through between its two end nodes (empty
    for an edge between neighbouring columns); ``columns`` is the column of
    every node.
    """

    boxes: dict
    routes: list
    columns: dict


def _check_edges(nodes: dict, edges: Iterable[tuple]) -> list[tuple]:
    edges = [tuple(e) for e in edges]
    for a, b in edges:
        for k in (a, b):
            if k not in nodes:
                raise KeyError(f"edge ({a!r}, {b!r}) names the unknown node {k!r}")
    return edges


def _neighbours(keys, edges):
    preds: dict = {k: [] for k in keys}
    succs: dict = {k: [] for k in keys}
    for a, b in edges:
        preds[b].append(a)
        succs[a].append(b)
    return preds, succs


def topological_order(keys: Iterable[Hashable], edges: Iterable[tuple]) -> list:
    """The keys ordered so that every edge goes from an earlier to a later one.

    Kahn's algorithm; ties keep the order of ``keys``. Raises ``ValueError`` on
    a cycle.
    """
    keys = list(keys)
    indeg = {k: 0 for k in keys}
    _, succs = _neighbours(keys, edges)
    for a, b in edges:
        indeg[b] += 1
    ready = [k for k in keys if indeg[k] == 0]
    order = []
    while ready:
        k = ready.pop(0)
        order.append(k)
        for b in succs[k]:
            indeg[b] -= 1
            if indeg[b] == 0:
                ready.append(b)
    if len(order) != len(keys):
        raise ValueError("the graph has a cycle")
    return order


def columns(keys: Iterable[Hashable], edges: Iterable[tuple]) -> dict:
    """Column of every node, so that every edge goes at least one column right.

    Nodes without successors (outputs) sit one column right of their deepest
    input; every other node sits as far right as its consumers allow, just
    left of the first one, so that a constant used late in a computation is
    drawn next to where it is used.
    """
    keys, edges = list(keys), list(edges)
    order = topological_order(keys, edges)
    preds, succs = _neighbours(keys, edges)
    col = {}
    for k in order:
        col[k] = 1 + max((col[p] for p in preds[k]), default=-1)
    for k in reversed(order):
        if succs[k]:
            col[k] = min(col[s] for s in succs[k]) - 1
    low = min(col.values(), default=0)
    return {k: c - low for k, c in col.items()}


def _isotonic_decreasing(target: np.ndarray) -> np.ndarray:
    """Closest non-increasing sequence to ``target`` in least squares (pool adjacent violators)."""
    blocks = []                                   # [mean, weight]
    for t in target:
        blocks.append([float(t), 1])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            m2, w2 = blocks.pop()
            m1, w1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2])
    return np.concatenate([np.full(w, m) for m, w in blocks]) if blocks else np.zeros(0)


def _text_size(text: str, fontsize: float) -> tuple[float, float]:
    """Rough width and height in inches of ``text`` at ``fontsize`` points."""
    lines = text.split("\n") if text else []
    width = max((len(s) for s in lines), default=0) * 0.6 * fontsize / 72
    height = len(lines) * 1.3 * fontsize / 72
    return width, height


def _node_half_size(node: GraphNode, fontsize: float) -> tuple[float, float]:
    w1, h1 = _text_size(node.text, fontsize)
    w2, h2 = _text_size(node.note, fontsize)
    w, h = max(w1, w2), h1 + h2
    if node.kind == "op":
        r = max(w, h) / 2 + 0.08
        return r, r
    return w / 2 + 0.1, h / 2 + 0.07


def layout(nodes: dict, edges: Iterable[tuple], fontsize: float = 9,
           col_gap: float = 0.3, row_gap: float = 0.25, sweeps: int = 8) -> Layout:
    """Positions and sizes, in inches, for ``draw_graph`` (see ``Layout``)."""
    edges = _check_edges(nodes, edges)
    col = columns(nodes.keys(), edges)
    half = {k: _node_half_size(node, fontsize) for k, node in nodes.items()}

    # an edge that skips columns gets a small dummy node in each column it crosses
    col_of, chains, graph_edges = dict(col), [], []
    for i, (a, b) in enumerate(edges):
        chain = [("dummy", i, c) for c in range(col[a] + 1, col[b])]
        for d in chain:
            col_of[d] = d[2]
            half[d] = (0.0, 0.05)
        chains.append(chain)
        path = [a, *chain, b]
        graph_edges.extend(zip(path[:-1], path[1:]))
    preds, succs = _neighbours(col_of.keys(), graph_edges)

    # order within columns: barycentre sweeps, left to right then right to left
    n_cols = max(col_of.values(), default=-1) + 1
    cols = [[k for k in col_of if col_of[k] == c] for c in range(n_cols)]
    for sweep in range(sweeps):
        forward = sweep % 2 == 0
        pos = {k: i for c in cols for i, k in enumerate(c)}
        for c in (range(1, n_cols) if forward else range(n_cols - 2, -1, -1)):
            neigh = preds if forward else succs
            def key(item, neigh=neigh):
                i, k = item
                ns = [pos[n] for n in neigh[k]]
                return (np.mean(ns) if ns else i, i)
            cols[c] = [k for _, k in sorted(enumerate(cols[c]), key=key)]
            pos.update({k: i for i, k in enumerate(cols[c])})

    # x: columns side by side, each as wide as its widest node
    x, col_x, col_half_width = 0.0, [], []
    for c in cols:
        w = max(half[k][0] for k in c)
        col_x.append(x + w)
        col_half_width.append(w)
        x += 2 * w + col_gap

    # y: stack each column, then pull every node level with its neighbours
    y = {}
    for c in cols:
        top = 0.0
        for k in c:
            y[k] = top - half[k][1]
            top -= 2 * half[k][1] + row_gap
    for sweep in range(sweeps):
        forward = sweep % 2 == 0
        for c in (cols if forward else cols[::-1]):
            neigh = [preds[k] + succs[k] for k in c]
            want = np.array([np.mean([y[n] for n in ns]) if ns else y[k]
                             for k, ns in zip(c, neigh)])
            # keep the order and the spacing: y[k] - y[k+1] >= gap between their centres
            gaps = [half[a][1] + half[b][1] + row_gap for a, b in zip(c[:-1], c[1:])]
            offset = np.concatenate([[0.0], np.cumsum(gaps)])
            for k, v in zip(c, _isotonic_decreasing(want + offset) - offset):
                y[k] = v
    bottom = min((y[k] - half[k][1] for k in y), default=0.0)

    boxes = {k: (col_x[col[k]], y[k] - bottom, *half[k]) for k in nodes}
    routes = []
    for chain in chains:
        pts = []
        for d in chain:
            cx, w = col_x[d[2]], col_half_width[d[2]]
            pts += [(cx - w, y[d] - bottom), (cx + w, y[d] - bottom)]
        routes.append(pts)
    return Layout(boxes, routes, col)


def _boundary(box, toward):
    """Point where the line from the centre of ``box`` toward ``toward`` leaves its shape."""
    x, y, hw, hh = box
    d = np.array(toward, dtype=float) - np.array([x, y])
    n = np.hypot(*d)
    if n == 0:
        return x, y
    if hw == hh:                      # circle
        return x + d[0] / n * hw, y + d[1] / n * hh
    s = min(hw / abs(d[0]) if d[0] else np.inf, hh / abs(d[1]) if d[1] else np.inf)
    return x + d[0] * s, y + d[1] * s


def draw_graph(nodes: dict, edges: Iterable[tuple], edge_labels: dict | None = None,
               ax=None, fontsize: float = 9, title: str | None = None,
               col_gap: float = 0.3, row_gap: float = 0.25):
    """Draw the acyclic graph ``nodes`` / ``edges`` left to right; return the Axes.

    ``edge_labels`` maps an edge ``(src, dst)`` to a short text written on it.
    Without ``ax``, makes a figure sized so that the text fits its boxes.
    ``col_gap`` and ``row_gap`` are the free space between columns and rows,
    in inches (the gap between columns widens to fit edge labels).
    """
    edges = _check_edges(nodes, edges)
    if edge_labels:
        widest = max(_text_size(t, fontsize - 1.5)[0] for t in edge_labels.values())
        col_gap = max(col_gap, widest + 0.25)
    lay = layout(nodes, edges, fontsize=fontsize, col_gap=col_gap, row_gap=row_gap)
    geo = lay.boxes
    xmax = max((x + hw for x, _, hw, _ in geo.values()), default=1.0)
    ymax = max((y + hh for _, y, _, hh in geo.values()), default=1.0)
    pad = 0.15
    if ax is None:
        title_h = 0.3 if title else 0.0
        fig = plt.figure(figsize=(xmax + 2 * pad, ymax + 2 * pad + title_h))
        ax = fig.add_axes((0, 0, 1, (ymax + 2 * pad) / (ymax + 2 * pad + title_h)))
    ax.set_xlim(-pad, xmax + pad)
    ax.set_ylim(-pad, ymax + pad)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=fontsize + 1)

    count = {e: edges.count(e) for e in edges}   # an edge given twice: x * x
    drawn: dict = {}
    arrow = dict(arrowstyle="-|>", color=EDGE_COLOR, lw=1.0, shrinkA=0, shrinkB=0,
                 mutation_scale=10)
    for (a, b), route in zip(edges, lay.routes):
        first = route[0] if route else geo[b][:2]
        last = route[-1] if route else geo[a][:2]
        start, end = _boundary(geo[a], first), _boundary(geo[b], last)
        i = drawn[(a, b)] = drawn.get((a, b), -1) + 1
        rad = 0.3 * (i - (count[(a, b)] - 1) / 2) if not route else 0.0
        line = [start, *route]
        if len(line) > 1:
            ax.plot(*zip(*line), color=EDGE_COLOR, lw=1.0, solid_capstyle="butt")
        ax.annotate("", xy=end, xytext=line[-1],
                    arrowprops=dict(arrow, connectionstyle=f"arc3,rad={rad}"))
        if edge_labels and (a, b) in edge_labels and i == 0:
            mx, my = (np.array(line[-1]) + np.array(end)) / 2
            ax.text(mx, my, edge_labels[(a, b)], fontsize=fontsize - 1.5, color=NOTE_COLOR,
                    ha="center", va="center",
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.9))

    for k, node in nodes.items():
        x, y, hw, hh = geo[k]
        if node.kind == "op":
            ax.add_patch(Circle((x, y), hw, fc=OP_FACE, ec=EDGE_COLOR, lw=1.0, zorder=2))
        else:
            ax.add_patch(FancyBboxPatch((x - hw, y - hh), 2 * hw, 2 * hh,
                                        boxstyle="round,pad=0,rounding_size=0.06",
                                        fc=VALUE_FACE, ec=EDGE_COLOR, lw=1.0, zorder=2))
        _, h_text = _text_size(node.text, fontsize)
        _, h_note = _text_size(node.note, fontsize)
        ax.text(x, y + h_note / 2, node.text, fontsize=fontsize, ha="center", va="center",
                zorder=3)
        if node.note:
            ax.text(x, y - h_text / 2, node.note, fontsize=fontsize, ha="center",
                    va="center", color=NOTE_COLOR, zorder=3)
    return ax


def _default_describe(v) -> tuple[str, str]:
    label = getattr(v, "label", "") or ""
    head = f"{label} = {v.data:.4g}" if label else f"{v.data:.4g}"
    return head, f"grad {v.grad:.4g}"


def trace_graph(root, children: str = "_prev", op: str = "_op",
                describe: Callable[[object], tuple[str, str]] = _default_describe):
    """The graph that computed ``root``: returns ``(nodes, edges)`` for ``draw_graph``.

    Walks ``getattr(v, children)`` from ``root`` (iteratively, so deep graphs
    are fine). Every value becomes a box labelled by ``describe(v) -> (text,
    note)`` (by default its ``label`` and ``data``, and its ``grad`` as the
    note); a value with a non-empty ``getattr(v, op)`` also gets a circle for
    that operation, fed by the values it was computed from. A value used
    several times appears once, with several outgoing edges.
    """
    nodes, edges, seen, stack = {}, [], set(), [root]
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        text, note = describe(v)
        nodes[id(v)] = GraphNode(text, note)
        op_name = getattr(v, op, "")
        kids = list(getattr(v, children, ()))
        if op_name:
            op_key = ("op", id(v))
            nodes[op_key] = GraphNode(str(op_name), kind="op")
            edges.append((op_key, id(v)))
            edges.extend((id(c), op_key) for c in kids)
        else:
            edges.extend((id(c), id(v)) for c in kids)
        stack.extend(reversed(kids))
    # list the nodes in the order they were computed: a stable picture
    order = topological_order(list(nodes), edges)
    return {k: nodes[k] for k in order}, edges
