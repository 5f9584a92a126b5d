import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nncourse.surfaces import plot_contours, plot_trajectory, quadratic, trajectory


H = np.array([[1.0, 0.5], [0.5, 4.0]])


def test_quadratic_value_and_gradient():
    f, grad = quadratic(H)
    w = np.array([1.0, -2.0])
    assert f(w) == pytest.approx(0.5 * w @ H @ w)
    np.testing.assert_allclose(grad(w), H @ w)


def test_quadratic_is_vectorised_over_leading_axes():
    f, grad = quadratic(H)
    W = np.random.default_rng(0).standard_normal((3, 4, 2))
    assert f(W).shape == (3, 4)
    assert grad(W).shape == (3, 4, 2)
    np.testing.assert_allclose(f(W)[1, 2], f(W[1, 2]))
    np.testing.assert_allclose(grad(W)[2, 3], grad(W[2, 3]))


def test_quadratic_rejects_non_symmetric():
    with pytest.raises(ValueError):
        quadratic(np.array([[1.0, 2.0], [0.0, 1.0]]))


def test_trajectory_of_gradient_descent_matches_closed_form():
    # on f = 1/2 sum(lam_i w_i^2), GD multiplies w_i by (1 - lr * lam_i) each step
    lam = np.array([1.0, 10.0])
    _, grad = quadratic(np.diag(lam))
    w0 = np.array([3.0, -1.0])
    lr = 0.05
    path = trajectory(lambda w: w - lr * grad(w), w0, 7)
    assert path.shape == (8, 2)
    expected = w0 * (1 - lr * lam) ** np.arange(8)[:, None]
    np.testing.assert_allclose(path, expected)
    np.testing.assert_array_equal(w0, [3.0, -1.0])  # input untouched


def test_trajectory_stops_at_the_first_non_finite_point():
    path = trajectory(lambda w: w * 1e200, np.array([1.0, 1.0]), 10)
    assert np.all(np.isfinite(path))
    assert len(path) == 2  # 1, 1e200; the next point overflows


def test_trajectory_with_zero_steps_is_the_start():
    np.testing.assert_array_equal(trajectory(lambda w: w + 1, [1.0, 2.0], 0), [[1.0, 2.0]])
    with pytest.raises(ValueError):
        trajectory(lambda w: w, [0.0], -1)


@pytest.mark.parametrize("log", [False, True])
def test_plot_contours_draws_and_sets_limits(log):
    f, _ = quadratic(H)
    fig, ax = plt.subplots()
    out = plot_contours(f, (-2, 3), (-1, 1), ax=ax, n=30, log=log)
    assert out is ax
    assert ax.get_xlim() == (-2, 3) and ax.get_ylim() == (-1, 1)
    assert len(ax.collections) > 0
    plt.close(fig)


def test_plot_trajectory_checks_shape_and_returns_axes():
    fig, ax = plt.subplots()
    assert plot_trajectory(np.zeros((5, 2)), ax=ax, label="gd") is ax
    assert ax.get_legend_handles_labels()[1] == ["gd"]
    with pytest.raises(ValueError):
        plot_trajectory(np.zeros((5, 3)), ax=ax)
    plt.close(fig)
