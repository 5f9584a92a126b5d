"""nncourse.neuron: the activations against torch, the neuron's geometry, the perceptron and its pocket."""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from nncourse import neuron

finite = st.floats(-1e4, 1e4, allow_nan=False)
z_arrays = arrays(np.float64, array_shapes(min_dims=0, max_dims=3, max_side=5), elements=finite)


def _silent(f, z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            return f(z)


@settings(max_examples=200, deadline=None)
@given(z_arrays)
def test_sigmoid_relu_softplus_equal_torch_and_are_stable(z):
    t = torch.from_numpy(z)
    for ours, theirs, rtol in ((neuron.sigmoid, torch.sigmoid(t), 1e-14),
                               (neuron.relu, torch.relu(t), 0.0),
                               (neuron.softplus, torch.logaddexp(torch.zeros_like(t), t), 1e-12)):
        out = _silent(ours, z)
        assert out.shape == z.shape and out.dtype == np.float64
        np.testing.assert_allclose(out, theirs.numpy(), rtol=rtol, atol=1e-300)


def test_softplus_is_accurate_where_it_is_about_exp():
    z = np.array([-40.0, -100.0, -700.0])
    np.testing.assert_allclose(neuron.softplus(z), np.exp(z), rtol=1e-14)
    assert neuron.softplus(np.array(1e4)) == 1e4


def test_step_is_the_slope_of_relu():
    z = np.array([-2.0, -1e-9, 0.0, 1e-9, 3.0])
    assert neuron.step(z).tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]
    np.testing.assert_array_equal(neuron.relu(z), z * neuron.step(z))


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_neuron_forward_and_signed_distance(N, D, seed):
    rng = np.random.default_rng(seed)
    X, w, b = rng.normal(size=(N, D)), rng.normal(size=D), float(rng.normal())
    z = torch.from_numpy(X) @ torch.from_numpy(w) + b
    np.testing.assert_allclose(neuron.neuron_forward(X, w, b, neuron.sigmoid), torch.sigmoid(z).numpy(),
                               rtol=1e-12)
    d = neuron.signed_distance(X, w, b)
    np.testing.assert_allclose(d, (z / torch.linalg.norm(torch.from_numpy(w))).numpy(), rtol=1e-10, atol=1e-12)
    # invariant under a positive rescaling of (w, b); the sign flips with (-w, -b)
    np.testing.assert_allclose(neuron.signed_distance(X, 3.5 * w, 3.5 * b), d, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(neuron.signed_distance(X, -w, -b), -d, rtol=1e-10, atol=1e-12)
    # the foot of the perpendicular lies on the hyperplane
    foot = X - d[:, None] * w / np.linalg.norm(w)
    np.testing.assert_allclose(foot @ w + b, 0.0, atol=1e-9)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="all zeros"):
        neuron.signed_distance(np.ones((3, 2)), np.zeros(2), 1.0)
    with pytest.raises(ValueError, match=r"X must be \(N, D\)"):
        neuron.neuron_forward(np.ones(3), np.ones(3), 0.0, neuron.relu)
    with pytest.raises(ValueError, match="w must be"):
        neuron.signed_distance(np.ones((3, 2)), np.ones(3), 0.0)
    with pytest.raises(ValueError, match="labels"):
        neuron.perceptron_train(np.ones((2, 2)), np.array([0, 2]))


def _loop_perceptron(X, y, lr, epochs):
    """The rule written with plain Python numbers, pocket included."""
    N, D = len(X), len(X[0])
    w, b = [0.0] * D, 0.0

    def errs(w, b):
        return sum((sum(X[i][j] * w[j] for j in range(D)) + b > 0) != bool(y[i]) for i in range(N))

    best = (list(w), b, errs(w, b))
    for _ in range(epochs):
        for i in range(N):
            pred = 1 if sum(X[i][j] * w[j] for j in range(D)) + b > 0 else 0
            if pred != y[i]:
                w = [w[j] + lr * (y[i] - pred) * X[i][j] for j in range(D)]
                b += lr * (y[i] - pred)
                if errs(w, b) < best[2]:
                    best = (list(w), b, errs(w, b))
    return (np.array(w), b), (np.array(best[0]), best[1])


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 15), st.integers(1, 3), st.integers(1, 6), st.floats(0.05, 2.0), st.integers(0, 2**32 - 1))
def test_perceptron_and_pocket_equal_a_plain_loop(N, D, epochs, lr, seed):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(N, D)), rng.integers(0, 2, size=N)
    (w_ref, b_ref), (pw_ref, pb_ref) = _loop_perceptron(X.tolist(), y.tolist(), lr, epochs)
    w, b = neuron.perceptron_train(X, y, lr=lr, epochs=epochs)
    pw, pb = neuron.pocket_perceptron(X, y, lr=lr, epochs=epochs)
    np.testing.assert_allclose(w, w_ref, rtol=1e-9, atol=1e-9)
    assert b == pytest.approx(b_ref, rel=1e-9, abs=1e-9) and isinstance(b, float)
    np.testing.assert_allclose(pw, pw_ref, rtol=1e-9, atol=1e-9)
    assert pb == pytest.approx(pb_ref, rel=1e-9, abs=1e-9)
    # the pocket is never worse than the final weights, nor than the start
    assert neuron.errors(X, y, pw, pb) <= min(neuron.errors(X, y, w, b), neuron.errors(X, y, np.zeros(D), 0.0))


def test_perceptron_converges_on_separable_data_and_cycles_on_xor():
    X_and = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    run = neuron.perceptron_history(X_and, np.array([0, 0, 0, 1]), epochs=10)
    assert run["mistakes"][-1] == 0 and neuron.errors(X_and, np.array([0, 0, 0, 1]), run["w"], run["b"]) == 0
    xor = neuron.perceptron_history(X_and, np.array([0, 1, 1, 0]), epochs=10)
    assert all(m > 0 for m in xor["mistakes"])
    (w3, b3), (w4, b4) = xor["epoch_ends"][3], xor["epoch_ends"][4]
    assert np.array_equal(w3, w4) and b3 == b4   # a cycle
