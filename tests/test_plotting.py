"""nncourse.plotting: each plot draws what it says, returns its axes, and rejects bad input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

from nncourse import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def ax():
    return plt.subplots()[1]


X = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [2.0, -0.5]])
Y = np.array([0, 1, 0, 1])


def _line_points(line):
    return np.column_stack(line.get_data())


# ---------------------------------------------------------------- style
def test_course_style_and_notebook_figures_outside_ipython():
    plotting.use_notebook_figures()  # no IPython here: only the style is set
    assert plt.rcParams["axes.spines.top"] is False
    assert plt.rcParams["axes.grid"] is True
    assert tuple(plt.rcParams["figure.figsize"]) == (5.5, 3.6)


# ---------------------------------------------------------------- existing helpers
def test_plot_function(ax):
    assert plotting.plot_function(np.sin, -1, 2, ax=ax, n=50, label="sin") is ax
    (line,) = ax.get_lines()
    x, y = line.get_data()
    assert len(x) == 50 and x[0] == -1 and x[-1] == 2
    np.testing.assert_allclose(y, np.sin(x))
    assert line.get_label() == "sin"


def test_plot_points_one_collection_per_class(ax):
    plotting.plot_points(X, Y, ax=ax)
    cols = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [c.get_label() for c in cols] == ["class 0", "class 1"]
    for c, k in zip(cols, (0, 1)):
        np.testing.assert_array_equal(c.get_offsets(), X[Y == k])
        np.testing.assert_allclose(c.get_facecolor()[0], to_rgba(plotting.CLASS_COLORS[k]))
    assert ax.get_aspect() == 1.0


def test_plot_points_rejects_wrong_shape(ax):
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        plotting.plot_points(np.zeros((3, 3)), np.zeros(3), ax=ax)


def test_grid_for_covers_points_with_margin():
    xx, yy, grid = plotting.grid_for(X, margin=0.5, n=7)
    assert xx.shape == yy.shape == (7, 7) and grid.shape == (49, 2)
    np.testing.assert_allclose(grid.min(axis=0), X.min(axis=0) - 0.5)
    np.testing.assert_allclose(grid.max(axis=0), X.max(axis=0) + 0.5)


def test_plot_decision_regions(ax):
    calls = []

    def predict(P):
        calls.append(P.shape)
        return (P[:, 0] > 0).astype(int)

    assert plotting.plot_decision_regions(predict, X, Y, ax=ax, n=30) is ax
    assert calls == [(900, 2)]
    assert len([c for c in ax.collections if isinstance(c, PathCollection)]) == 2  # the points


def test_plot_line_lies_on_the_line_and_keeps_limits(ax):
    w, b = np.array([1.0, 2.0]), -0.5
    plotting.plot_points(X, Y, ax=ax)
    plotting.plot_line(w, b, X, ax=ax, color="k")
    pts = _line_points(ax.get_lines()[-1])
    np.testing.assert_allclose(pts @ w + b, 0, atol=1e-12)
    np.testing.assert_allclose(ax.get_xlim(), [-1.5, 2.5])
    np.testing.assert_allclose(ax.get_ylim(), [-1.5, 1.5])


def test_plot_line_vertical_and_degenerate(ax):
    plotting.plot_line(np.array([2.0, 0.0]), -1.0, X, ax=ax)
    np.testing.assert_allclose(ax.get_lines()[-1].get_xdata(), [0.5, 0.5])
    n = len(ax.get_lines())
    plotting.plot_line(np.zeros(2), 1.0, X, ax=ax)  # w = 0: no line exists
    assert len(ax.get_lines()) == n


# ---------------------------------------------------------------- plot_activation_grid
def test_activation_grid_draws_function_and_derivative():
    acts = {"relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),
            "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2)}
    axes = plotting.plot_activation_grid(acts, lo=-2, hi=2, n=41)
    assert axes.shape == (2, 2)
    assert [a.get_title() for a in axes[0]] == ["relu", "tanh"]
    for j, (f, df) in enumerate(acts.values()):
        z, fz = axes[0, j].get_lines()[0].get_data()
        np.testing.assert_allclose(fz, f(z))
        z, dz = axes[1, j].get_lines()[0].get_data()
        np.testing.assert_allclose(dz, df(z))
        assert z[0] == -2 and z[-1] == 2 and len(z) == 41


def test_activation_grid_reuses_axes_and_rejects_empty():
    fig, axes = plt.subplots(2, 1)
    out = plotting.plot_activation_grid({"id": (lambda z: z, np.ones_like)}, axes=axes)
    assert out.shape == (2, 1) and out[0, 0] is axes[0]
    with pytest.raises(ValueError, match="at least one"):
        plotting.plot_activation_grid({})


# ---------------------------------------------------------------- plot_weight_vector
@pytest.mark.parametrize("w, b, at, length", [([2.0, 1.0], -0.5, None, None), ([0.0, -3.0], 1.0, (1.0, 1.0), 1.5)])
def test_weight_vector_starts_on_line_and_points_to_positive_side(ax, w, b, at, length):
    w = np.array(w)
    plotting.plot_weight_vector(w, b, ax=ax, at=at, length=length)
    arrow = ax.texts[0]  # the annotation with the arrow
    start, end = np.array(arrow.xyann), np.array(arrow.xy)
    assert start @ w + b == pytest.approx(0.0, abs=1e-12)  # on the line
    d = end - start
    np.testing.assert_allclose(d / np.linalg.norm(d), w / np.linalg.norm(w))  # along w
    assert end @ w + b > 0  # into the half-plane classified 1
    if length is not None:
        assert np.linalg.norm(d) == pytest.approx(length)
    if at is not None:  # the closest point of the line to `at`
        r = np.array(at) - start  # parallel to w
        assert r[0] * w[1] - r[1] * w[0] == pytest.approx(0.0, abs=1e-12)
    assert ax.texts[1].get_text() == r"$\mathbf{w}$"


def test_weight_vector_rejects_zero(ax):
    with pytest.raises(ValueError, match="nonzero"):
        plotting.plot_weight_vector(np.zeros(2), 0.0, ax=ax)


# ---------------------------------------------------------------- plot_boundary_history
def test_boundary_history_one_line_per_step_last_black(ax):
    history = [(np.array([0.0, 0.0]), 0.0), (np.array([1.0, 0.5]), 0.0), (np.array([1.0, 1.0]), -0.5)]
    plotting.plot_boundary_history(history, X, Y, ax=ax)
    lines = ax.get_lines()
    assert len(lines) == 2  # w = 0 has no line
    for line, (w, b) in zip(lines, history[1:]):
        np.testing.assert_allclose(_line_points(line) @ w + b, 0, atol=1e-12)
    assert to_rgba(lines[-1].get_color()) == to_rgba("black")
    assert len(ax.figure.axes) == 2  # with its colour bar


def test_boundary_history_errors(ax):
    with pytest.raises(ValueError, match="at least one"):
        plotting.plot_boundary_history([], X, Y, ax=ax)
    with pytest.raises(ValueError, match="y of shape"):
        plotting.plot_boundary_history([(np.ones(2), 0.0)], X, Y[:3], ax=ax)


# ---------------------------------------------------------------- plot_curve
def test_plot_curve(ax):
    plotting.plot_curve([3, 1, 0], ax=ax, ylabel="mistakes")
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(line.get_ydata(), [3, 1, 0])
    assert line.get_marker() == "o"
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "mistakes"
    plotting.plot_curve(np.arange(100.0), ax=ax, x=np.linspace(0, 1, 100))
    assert ax.get_lines()[-1].get_marker() in ("None", None, "")


def test_plot_curve_errors(ax):
    with pytest.raises(ValueError, match="1-D"):
        plotting.plot_curve(np.zeros((2, 2)), ax=ax)
    with pytest.raises(ValueError, match="shape"):
        plotting.plot_curve([1.0, 2.0], x=[1.0], ax=ax)


# ---------------------------------------------------------------- plot_probability_map
def test_probability_map_with_boundary_and_colorbar(ax):
    proba = lambda P: 1 / (1 + np.exp(-(P[:, 0] + P[:, 1])))  # noqa: E731
    plotting.plot_probability_map(proba, X, Y, ax=ax, n=40, colorbar=True)
    dashed = [c for c in ax.collections if type(c).__name__ in ("QuadContourSet", "ContourSet")
              and list(getattr(c, "levels", [])) == [0.5]]
    assert dashed, "the 0.5 contour is drawn"
    assert len(ax.figure.axes) == 2
    cmap = plotting.two_class_cmap()
    np.testing.assert_allclose(cmap(0.0), to_rgba(plotting.CLASS_COLORS[0]))
    np.testing.assert_allclose(cmap(1.0), to_rgba(plotting.CLASS_COLORS[1]))


# ---------------------------------------------------------------- plot_network
def test_network_nodes_edges_and_labels(ax):
    W1, b1 = np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([-0.5, -1.5])
    W2, b2 = np.array([[1.0], [-1.0]]), np.array([-0.5])
    plotting.plot_network([2, 2, 1], ax=ax, weights=[W1, W2], biases=[b1, b2],
                          node_labels=[["a", "b"], ["c", "d"], ["e"]], output_labels=["y"],
                          layer_names=["in", "hidden", "out"])
    assert sum(isinstance(p, Circle) for p in ax.patches) == 5
    assert len(ax.get_lines()) == 2 * 2 + 2 * 1
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("1") == 5 and texts.count("-1") == 1  # edge labels
    for s in ("b=-0.5", "b=-1.5", "a", "e", "y", "in", "hidden", "out"):
        assert s in texts
    assert not ax.axison


@pytest.mark.parametrize("kwargs, match", [
    ({"layer_sizes": [3]}, ">= 2 layers"),
    ({"layer_sizes": [2, 0]}, ">= 2 layers"),
    ({"layer_sizes": [2, 1], "weights": [np.zeros((1, 2))]}, r"weights\[0\] should have shape \(2, 1\)"),
    ({"layer_sizes": [2, 1], "biases": [np.zeros(1), np.zeros(1)]}, "biases needs 1 arrays"),
    ({"layer_sizes": [2, 1], "node_labels": [["a"], ["b"]]}, "node_labels"),
    ({"layer_sizes": [2, 1], "output_labels": ["y", "z"]}, "output_labels"),
])
def test_network_rejects_bad_input(ax, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plotting.plot_network(ax=ax, **kwargs)
