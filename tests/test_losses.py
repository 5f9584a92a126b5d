"""nncourse.losses: chapter 3's reference implementations against torch."""

import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from nncourse.gradcheck import numerical_gradient
from nncourse.losses import (cross_entropy, gd_step, huber_grad, huber_loss, iterate_minibatches,
                             logistic_regression_grad, mse_loss)

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)


def pair(shape_strategy=shapes, elements=finite):
    return shape_strategy.flatmap(lambda s: st.tuples(hnp.arrays(np.float64, s, elements=elements),
                                                      hnp.arrays(np.float64, s, elements=elements)))


def t(x):
    return torch.from_numpy(np.array(x, dtype=np.float64))


# ---------------------------------------------------------------- mse and huber
@settings(max_examples=60, deadline=None)
@given(ab=pair())
def test_mse_equals_torch(ab):
    a, b = ab
    got = mse_loss(a, b)
    assert isinstance(got, float)
    assert got == pytest.approx(F.mse_loss(t(a), t(b)).item(), rel=1e-12, abs=1e-12)


def test_mse_refuses_a_column_against_a_vector():
    with pytest.raises(ValueError, match="same shape"):
        mse_loss(np.zeros((4, 1)), np.zeros(4))


@settings(max_examples=80, deadline=None)
@given(ab=pair(), delta=st.floats(0.01, 20))
def test_huber_equals_torch(ab, delta):
    a, b = ab
    got = huber_loss(a, b, delta)
    assert isinstance(got, float)
    assert got == pytest.approx(F.huber_loss(t(a), t(b), delta=delta).item(), rel=1e-12, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(ab=pair(), delta=st.floats(0.01, 20))
def test_huber_grad_equals_autograd(ab, delta):
    a, b = ab
    ta = t(a).requires_grad_()
    F.huber_loss(ta, t(b), delta=delta).backward()
    got = huber_grad(a, b, delta)
    assert got.shape == a.shape and got.dtype == np.float64
    np.testing.assert_allclose(got, ta.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_huber_grad_is_the_numerical_gradient_away_from_the_kinks():
    rng = np.random.default_rng(0)
    a, b = rng.normal(scale=3, size=(4, 3)), rng.normal(size=(4, 3))
    num = numerical_gradient(lambda x: huber_loss(x, b, 1.5), a.copy())
    np.testing.assert_allclose(huber_grad(a, b, 1.5), num, rtol=1e-6, atol=1e-9)


def test_huber_is_half_mse_for_small_residuals_and_linear_for_large_ones():
    a = np.array([0.1, -0.2, 0.3])
    assert huber_loss(a, np.zeros(3), delta=1.0) == pytest.approx(0.5 * mse_loss(a, np.zeros(3)))
    big = np.array([100.0, -300.0])
    assert huber_loss(big, np.zeros(2), delta=2.0) == pytest.approx(np.mean(2.0 * (np.abs(big) - 1.0)))


@pytest.mark.parametrize("delta", [0.0, -1.0, np.inf, np.nan])
def test_huber_rejects_a_bad_delta(delta):
    with pytest.raises(ValueError, match="delta"):
        huber_loss(np.zeros(2), np.ones(2), delta)
    with pytest.raises(ValueError, match="delta"):
        huber_grad(np.zeros(2), np.ones(2), delta)


# ---------------------------------------------------------------- cross-entropy
@settings(max_examples=80, deadline=None)
@given(n=st.integers(1, 8), c=st.integers(1, 6), scale=st.sampled_from([1.0, 100.0, 1e4]), data=st.data())
def test_cross_entropy_equals_torch_and_is_stable(n, c, scale, data):
    Z = data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-1, 1))) * scale
    y = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = cross_entropy(Z, y)
    expected = F.cross_entropy(t(Z), torch.from_numpy(y)).item()
    assert got == pytest.approx(expected, rel=1e-10, abs=1e-10)


def test_cross_entropy_of_zero_logits_is_log_c():
    assert cross_entropy(np.zeros((3, 10)), np.array([0, 4, 9])) == pytest.approx(np.log(10))


def test_cross_entropy_rejects_bad_labels():
    with pytest.raises(ValueError, match="labels"):
        cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="labels"):
        cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="logits"):
        cross_entropy(np.zeros(3), np.array([0]))


# ---------------------------------------------------------------- logistic regression
@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 10), d=st.integers(1, 4), scale=st.sampled_from([1.0, 1e3]), data=st.data())
def test_logistic_regression_grad_equals_autograd(n, d, scale, data):
    X = data.draw(hnp.arrays(np.float64, (n, d), elements=st.floats(-3, 3))) * scale
    y = data.draw(hnp.arrays(np.float64, (n,), elements=st.sampled_from([0.0, 1.0])))
    w = data.draw(hnp.arrays(np.float64, (d,), elements=st.floats(-3, 3)))
    b = data.draw(st.floats(-3, 3))
    wt, bt = t(w).requires_grad_(), torch.tensor(b, dtype=torch.float64, requires_grad=True)
    loss_t = F.binary_cross_entropy_with_logits(t(X) @ wt + bt, t(y))
    loss_t.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dw, db = logistic_regression_grad(X, y, w, b)
    assert loss == pytest.approx(loss_t.item(), rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(dw, wt.grad.numpy(), rtol=1e-9, atol=1e-12)
    assert db == pytest.approx(bt.grad.item(), rel=1e-9, abs=1e-12)


def test_logistic_regression_grad_rejects_bad_shapes():
    with pytest.raises(ValueError, match="w must be"):
        logistic_regression_grad(np.zeros((3, 2)), np.zeros(3), np.zeros(3), 0.0)
    with pytest.raises(ValueError, match="y must be"):
        logistic_regression_grad(np.zeros((3, 2)), np.zeros(2), np.zeros(2), 0.0)


# ---------------------------------------------------------------- gd_step and mini-batches
def test_gd_step_returns_new_values_and_leaves_inputs_alone():
    W, b = np.array([[1.0, 2.0]]), 0.5
    dW, db = np.array([[0.5, -1.0]]), 2.0
    W_before = W.copy()
    params = [W, b]
    out = gd_step(params, [dW, db], 0.1)
    np.testing.assert_allclose(out[0], [[0.95, 2.1]])
    assert out[1] == pytest.approx(0.3)
    np.testing.assert_array_equal(W, W_before)
    assert params[1] == 0.5 and out is not params


def test_gd_step_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        gd_step([np.zeros(3)], [np.zeros(2)], 0.1)
    with pytest.raises(ValueError, match="length"):
        gd_step([np.zeros(3)], [], 0.1)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 60), bs=st.integers(1, 20), seed=st.integers(0, 2**31))
def test_minibatches_are_the_permutation_cut_in_pieces(n, bs, seed):
    batches = iterate_minibatches(n, bs, np.random.default_rng(seed))
    assert isinstance(batches, list)
    assert all(len(b) == bs for b in batches[:-1]) and all(1 <= len(b) <= bs for b in batches)
    flat = np.concatenate(batches) if batches else np.array([], dtype=np.int64)
    np.testing.assert_array_equal(flat, np.random.default_rng(seed).permutation(n))


def test_minibatches_differ_from_epoch_to_epoch_but_repeat_with_the_seed():
    rng = np.random.default_rng(3)
    first, second = iterate_minibatches(20, 5, rng), iterate_minibatches(20, 5, rng)
    assert not all(np.array_equal(a, b) for a, b in zip(first, second))
    again = iterate_minibatches(20, 5, np.random.default_rng(3))
    assert all(np.array_equal(a, b) for a, b in zip(first, again))


def test_minibatches_reject_bad_arguments():
    with pytest.raises(ValueError, match="batch_size"):
        iterate_minibatches(10, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="Generator"):
        iterate_minibatches(10, 2, np.random)
