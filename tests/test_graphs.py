"""nncourse.graphs: layered drawing of computational graphs with matplotlib."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import Circle, FancyBboxPatch

from nncourse.graphs import GraphNode, columns, draw_graph, layout, topological_order, trace_graph


class Node:
    """The least a micrograd-style value needs for trace_graph."""

    def __init__(self, data, prev=(), op="", label=""):
        self.data, self.grad, self._prev, self._op, self.label = data, 0.0, tuple(prev), op, label


def _neuron():
    nodes = {k: GraphNode(k) for k in ["w", "x", "u", "b", "z", "L"]}
    nodes.update({"*": GraphNode("*", kind="op"), "+": GraphNode("+", kind="op"),
                  "sq": GraphNode("**2", kind="op")})
    edges = [("w", "*"), ("x", "*"), ("*", "u"), ("u", "+"), ("b", "+"), ("+", "z"),
             ("z", "sq"), ("sq", "L")]
    return nodes, edges


def test_topological_order_respects_edges_and_detects_cycles():
    order = topological_order("abcd", [("c", "a"), ("a", "b"), ("d", "b")])
    assert order.index("c") < order.index("a") < order.index("b")
    assert order.index("d") < order.index("b")
    with pytest.raises(ValueError, match="cycle"):
        topological_order("ab", [("a", "b"), ("b", "a")])


def test_columns_put_every_edge_left_to_right_and_inputs_next_to_their_use():
    nodes, edges = _neuron()
    col = columns(nodes, edges)
    assert all(col[a] < col[b] for a, b in edges)
    assert col["w"] == col["x"] == 0
    assert col["b"] == col["+"] - 1          # a late input sits just before its consumer
    assert min(col.values()) == 0


def test_layout_keeps_boxes_apart_and_routes_long_edges():
    # m feeds the output directly and through a longer chain
    nodes = {k: GraphNode(k) for k in ["x", "m", "p", "q", "out"]}
    edges = [("x", "m"), ("m", "p"), ("p", "q"), ("q", "out"), ("m", "out")]
    lay = layout(nodes, edges)
    assert set(lay.boxes) == set(nodes)
    boxes = list(lay.boxes.values())
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1:]:
            assert abs(x1 - x2) >= w1 + w2 - 1e-9 or abs(y1 - y2) >= h1 + h2 - 1e-9
    long_edge = edges.index(("m", "out"))
    assert len(lay.routes[long_edge]) == 2 * 2    # two columns skipped, two points each
    assert all(r == [] for i, r in enumerate(lay.routes) if i != long_edge)
    for px, py in lay.routes[long_edge]:          # the route passes no box
        for x, y, w, h in boxes:
            assert not (abs(px - x) < w - 1e-9 and abs(py - y) < h - 1e-9)


def test_draw_graph_draws_one_patch_per_node():
    nodes, edges = _neuron()
    ax = draw_graph(nodes, edges, edge_labels={("w", "*"): "x"}, title="neuron")
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(circles) == 3 and len(boxes) == 6
    texts = {t.get_text() for t in ax.texts}
    assert {"w", "**2", "x"} <= texts
    plt.close(ax.figure)


def test_draw_graph_rejects_unknown_nodes_and_bad_kinds():
    with pytest.raises(KeyError):
        draw_graph({"a": GraphNode("a")}, [("a", "b")])
    with pytest.raises(ValueError):
        GraphNode("a", kind="square")


def test_trace_graph_walks_prev_and_op():
    a = Node(2.0, label="a")
    b = Node(3.0, label="b")
    c = Node(6.0, (a, b), "*", label="c")
    d = Node(8.0, (c, a), "+", label="d")          # a is used twice
    nodes, edges = trace_graph(d)
    values = [k for k, n in nodes.items() if n.kind == "value"]
    ops = [n.text for n in nodes.values() if n.kind == "op"]
    assert len(values) == 4 and sorted(ops) == ["*", "+"]
    assert nodes[id(d)].text == "d = 8" and nodes[id(d)].note == "grad 0"
    assert sum(1 for e in edges if e[0] == id(a)) == 2
    order = list(nodes)
    assert all(order.index(s) < order.index(t) for s, t in edges)
    plt.close(draw_graph(nodes, edges).figure)


def test_trace_graph_handles_deep_graphs_and_repeated_inputs():
    v = Node(0.0)
    for i in range(3000):                         # deeper than Python's recursion limit
        v = Node(float(i), (v,), "+1")
    nodes, edges = trace_graph(v)
    assert len(nodes) == 6001 and len(edges) == 6000
    x = Node(3.0, label="x")
    sq = Node(9.0, (x, x), "*")                   # x * x: two edges from x to the op
    nodes, edges = trace_graph(sq)
    assert edges.count((id(x), ("op", id(sq)))) == 2
    plt.close(draw_graph(nodes, edges).figure)
