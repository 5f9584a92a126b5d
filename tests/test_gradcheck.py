"""nncourse.gradcheck: central differences against known gradients, and its contract."""

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncourse.gradcheck import gradient_error, numerical_gradient, relative_error

finite = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
float_arrays = hnp.arrays(np.float64, shapes, elements=finite)


# ---------------------------------------------------------------- agreement with analytic gradients
@settings(max_examples=60, deadline=None)
@given(x=float_arrays, data=st.data())
def test_weighted_sin_sum(x, data):
    """f(x) = sum(c * sin(x)) has gradient c * cos(x), for any shape (0-d included)."""
    c = data.draw(hnp.arrays(np.float64, x.shape, elements=finite))
    f = lambda t: np.sum(c * np.sin(t))  # noqa: E731
    num = numerical_gradient(f, x)
    assert num.shape == x.shape and num.dtype == np.float64
    np.testing.assert_allclose(num, c * np.cos(x), rtol=1e-6, atol=1e-8)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 6), data=st.data())
def test_quadratic_form(n, data):
    """f(x) = 1/2 x^T A x + b . x has gradient (A + A^T)/2 x + b, for any square A."""
    A = data.draw(hnp.arrays(np.float64, (n, n), elements=finite))
    b = data.draw(hnp.arrays(np.float64, (n,), elements=finite))
    x = data.draw(hnp.arrays(np.float64, (n,), elements=finite))
    f = lambda t: 0.5 * t @ A @ t + b @ t  # noqa: E731
    expected = 0.5 * (A + A.T) @ x + b
    np.testing.assert_allclose(numerical_gradient(f, x), expected, rtol=1e-6, atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=5), elements=finite))
def test_log_sum_exp(x):
    """The gradient of log(sum(exp(x))) is softmax(x) (over all entries)."""
    f = lambda t: np.log(np.sum(np.exp(t)))  # noqa: E731
    e = np.exp(x - x.max())
    np.testing.assert_allclose(numerical_gradient(f, x), e / e.sum(), rtol=1e-5, atol=1e-8)


@settings(max_examples=40, deadline=None)
@given(x=float_arrays)
def test_x_restored_exactly(x):
    before = x.copy()
    numerical_gradient(lambda t: np.sum(t ** 3), x)
    np.testing.assert_array_equal(x, before)  # bit for bit, not approximately


def test_x_restored_when_f_raises():
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def f(t):
        calls.append(t.copy())
        if len(calls) == 4:  # during the second entry, while t[1] is perturbed
            raise RuntimeError("boom")
        return float(t.sum())

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    assert calls[3][1] != 2.0  # it really was perturbed when f raised


def test_perturbs_one_entry_at_a_time_by_eps():
    x = np.zeros((2, 2))
    seen = []
    numerical_gradient(lambda t: seen.append(t.copy()) or 0.0, x, eps=0.5)
    assert len(seen) == 2 * x.size
    for k, t in enumerate(seen):
        assert np.count_nonzero(t) == 1 and np.abs(t).sum() == 0.5
        assert t.flat[k // 2] == (0.5 if k % 2 == 0 else -0.5)


def test_non_contiguous_view_and_float32():
    base = np.arange(6.0).reshape(2, 3)
    view = base.T  # not C-contiguous: entries are written through the view
    grad = numerical_gradient(lambda t: np.sum(t ** 2), view)
    np.testing.assert_allclose(grad, 2 * view, rtol=1e-6)
    np.testing.assert_array_equal(base, np.arange(6.0).reshape(2, 3))
    x32 = np.array([1.0, -2.0], dtype=np.float32)
    g32 = numerical_gradient(lambda t: float(np.sum(t.astype(np.float64) ** 2)), x32, eps=1e-2)
    assert g32.dtype == np.float64
    np.testing.assert_allclose(g32, [2.0, -4.0], rtol=1e-3)


def test_accepts_size_one_array_results():
    x = np.array([0.5, 1.5])
    np.testing.assert_allclose(numerical_gradient(lambda t: np.array([t.sum()]), x), [1.0, 1.0])


# ---------------------------------------------------------------- clear errors
def test_rejects_integer_arrays():
    with pytest.raises(TypeError, match="float array"):
        numerical_gradient(lambda t: t.sum(), np.arange(3))


def test_rejects_read_only_arrays():
    x = np.ones(3)
    x.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        numerical_gradient(lambda t: t.sum(), x)


@pytest.mark.parametrize("eps", [0.0, -1e-5, np.inf, np.nan])
def test_rejects_bad_eps(eps):
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(lambda t: t.sum(), np.ones(2), eps=eps)


def test_rejects_non_scalar_f():
    x = np.ones(3)
    with pytest.raises(TypeError, match="scalar"):
        numerical_gradient(lambda t: t * 2, x)
    np.testing.assert_array_equal(x, np.ones(3))
    with pytest.raises(TypeError, match="scalar"):
        numerical_gradient(lambda t: "loss", x)


# ---------------------------------------------------------------- relative_error and gradient_error
def test_relative_error_values():
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0  # the floor avoids 0 / 0
    assert relative_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    assert relative_error(np.array([1.0, 0.0]), np.array([1.0, 1e-3])) == pytest.approx(1.0)
    assert relative_error(np.zeros((0, 2)), np.zeros((0, 2))) == 0.0
    assert isinstance(relative_error(np.ones(2), np.ones(2)), float)


@settings(max_examples=40, deadline=None)
@given(a=float_arrays, data=st.data())
def test_relative_error_symmetric_and_bounded(a, data):
    b = data.draw(hnp.arrays(np.float64, a.shape, elements=finite))
    e = relative_error(a, b)
    assert e == relative_error(b, a)
    assert 0.0 <= e <= 1.0


def test_relative_error_shape_mismatch():
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(np.ones(3), np.ones(4))


def test_gradient_error_tells_right_from_wrong():
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    f = lambda t: np.sum(np.tanh(t))  # noqa: E731
    right = 1 - np.tanh(x) ** 2
    wrong = right.copy()
    wrong[1, 0] *= 1.1  # one entry 10% off
    assert gradient_error(f, right, x) < 1e-8
    assert gradient_error(f, wrong, x) > 1e-2
    assert gradient_error(f, -right, x) == pytest.approx(1.0)
