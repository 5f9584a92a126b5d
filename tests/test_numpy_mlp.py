"""nncourse.numpy_mlp: the NumPy MLP of chapter 4, checked against torch and numerical gradients."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nncourse import numpy_mlp as nm
from nncourse.gradcheck import numerical_gradient, relative_error


def _problem(sizes=(5, 7, 6, 3), n=9, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, sizes[-1], size=n)
    return X, y, nm.init_params(list(sizes), rng)


def _torch_loss_and_grads(X, y, params):
    ts = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for Wb in params for p in Wb]
    A = torch.tensor(X)
    for i in range(0, len(ts), 2):
        A = A @ ts[i] + ts[i + 1]
        if i < len(ts) - 2:
            A = torch.relu(A)
    loss = torch.nn.functional.cross_entropy(A, torch.tensor(y))
    loss.backward()
    return loss.item(), [t.grad.numpy() for t in ts]


def test_init_params_shapes_and_he_scale():
    params = nm.init_params([400, 300, 10], np.random.default_rng(1))
    assert [(W.shape, b.shape) for W, b in params] == [((400, 300), (300,)), ((300, 10), (10,))]
    assert params[0][0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert all(W.dtype == np.float64 and not b.any() for W, b in params)


def test_softmax_and_cross_entropy_are_stable_and_match_torch():
    logits = np.array([[1e4, -1e4, 0.0], [3.0, 1.0, -2.0]])
    labels = np.array([1, 0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is fine
        P = nm.softmax(logits)
        ce = nm.cross_entropy(logits, labels)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(labels)).item()
    assert ce == pytest.approx(expected, rel=1e-12)


def test_dense_backward_matches_numerical_gradients():
    rng = np.random.default_rng(2)
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    dout = rng.normal(size=(4, 5))
    dX, dW, db = nm.dense_backward(dout, X, W)
    f = lambda _: float(np.sum(nm.dense_forward(X, W, b) * dout))
    for analytic, arr in ((dX, X), (dW, W), (db, b)):
        assert analytic.shape == arr.shape
        assert relative_error(analytic, numerical_gradient(f, arr)) < 1e-8


def test_relu_backward_is_zero_at_and_below_zero():
    Z = np.array([[-1.0, 0.0, 2.0]])
    np.testing.assert_array_equal(nm.relu_backward(np.array([[5.0, 5.0, 5.0]]), Z), [[0.0, 0.0, 5.0]])


def test_softmax_cross_entropy_backward_matches_torch_and_keeps_input():
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(6, 4)) * 5
    labels = rng.integers(0, 4, size=6)
    before = logits.copy()
    grad = nm.softmax_cross_entropy_backward(logits, labels)
    np.testing.assert_array_equal(logits, before)
    t = torch.tensor(logits, requires_grad=True)
    torch.nn.functional.cross_entropy(t, torch.tensor(labels)).backward()
    np.testing.assert_allclose(grad, t.grad.numpy(), atol=1e-15)


@pytest.mark.parametrize("sizes", [(5, 3), (5, 7, 3), (5, 7, 6, 3)])
def test_mlp_loss_and_grads_matches_torch(sizes):
    X, y, params = _problem(sizes)
    loss, grads = nm.mlp_loss_and_grads(X, y, params)
    loss_t, grads_t = _torch_loss_and_grads(X, y, params)
    assert loss == pytest.approx(loss_t, rel=1e-12)
    assert loss == pytest.approx(nm.cross_entropy(nm.mlp_forward(X, params), y), rel=1e-12)
    ours = [g for dW_db in grads for g in dW_db]
    assert [g.shape for g in ours] == [p.shape for Wb in params for p in Wb]
    for a, b in zip(ours, grads_t):
        np.testing.assert_allclose(a, b, atol=1e-13)


def test_mlp_loss_and_grads_matches_numerical_gradients_and_keeps_params():
    X, y, params = _problem()
    copies = [(W.copy(), b.copy()) for W, b in params]
    _, grads = nm.mlp_loss_and_grads(X, y, params)
    for (W, b), (W0, b0) in zip(params, copies):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    f = lambda _: nm.cross_entropy(nm.mlp_forward(X, params), y)
    for (W, b), (dW, db) in zip(params, grads):
        assert relative_error(dW, numerical_gradient(f, W)) < 1e-6
        assert relative_error(db, numerical_gradient(f, b)) < 1e-6


def test_predict_and_accuracy():
    X, y, params = _problem()
    pred = nm.predict(X, params)
    assert pred.shape == (len(X),) and np.issubdtype(pred.dtype, np.integer)
    assert nm.accuracy(np.array([1, 2, 3, 4]), np.array([1, 2, 0, 4])) == 0.75


def test_train_mlp_is_deterministic_and_learns_a_separable_problem():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    p1, h1 = nm.train_mlp(X, y, hidden=(16,), epochs=15, batch_size=32, lr=1e-2, seed=7)
    p2, h2 = nm.train_mlp(X, y, hidden=(16,), epochs=15, batch_size=32, lr=1e-2, seed=7)
    assert h1.loss == h2.loss
    for (W1, b1), (W2, b2) in zip(p1, p2):
        np.testing.assert_array_equal(W1, W2)
    assert len(h1.loss) == len(h1.train_acc) == 15 and h1.val_acc == []
    assert h1.loss[-1] < h1.loss[0] and h1.train_acc[-1] > 0.95
    assert h1.time > 0 and h1.cpu >= 0


def test_train_mlp_uses_the_given_loss_and_grads():
    calls = []

    def counting(X, y, params):
        calls.append(len(X))
        return nm.mlp_loss_and_grads(X, y, params)

    X, y, _ = _problem(n=50)
    nm.train_mlp(X, y, hidden=(4,), epochs=2, batch_size=20, loss_and_grads=counting)
    assert calls == [20, 20, 10, 20, 20, 10]


def test_train_mlp_reaches_97_percent_on_digits():
    from nncourse.data import digits

    X_train, y_train, X_test, y_test = digits()
    params, _ = nm.train_mlp(X_train, y_train, seed=0)
    assert nm.accuracy(nm.predict(X_test, params), y_test) >= 0.97


@settings(max_examples=40, deadline=None)
@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5), seed=st.integers(0, 2**32 - 1),
       scale=st.sampled_from([1.0, 30.0, 1e4]))
def test_log_softmax_backward_matches_torch_for_any_leading_axes(shape, seed, scale):
    rng = np.random.default_rng(seed)
    Z, dout = rng.normal(scale=scale, size=shape), rng.normal(size=shape)
    Zt = torch.tensor(Z, requires_grad=True)
    torch.log_softmax(Zt, dim=-1).backward(torch.tensor(dout))
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        got = nm.log_softmax_backward(dout, Z)
    np.testing.assert_allclose(got, Zt.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_log_softmax_backward_composes_to_the_cross_entropy_gradient():
    rng = np.random.default_rng(3)
    Z, y = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    dout = np.zeros((6, 4))
    dout[np.arange(6), y] = -1.0 / 6       # gradient of the mean NLL w.r.t. the log-probabilities
    np.testing.assert_allclose(nm.log_softmax_backward(dout, Z),
                               nm.softmax_cross_entropy_backward(Z, y), rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="same shape"):
        nm.log_softmax_backward(dout[:, :3], Z)
