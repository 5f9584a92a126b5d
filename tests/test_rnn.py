"""nncourse.rnn: the NumPy recurrent cells of chapter 7, against PyTorch's modules."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from nncourse.rnn import (clip_grad_norm, gru_step, lstm_step, rnn_backward, rnn_forward, rnn_step,
                          rnn_step_backward, sigmoid)

shapes = st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 6))   # N, D, H


def _t(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def _weights(rng, D, H, gates=1):
    s = 1 / np.sqrt(H)
    return (rng.uniform(-s, s, (D, gates * H)), rng.uniform(-s, s, (H, gates * H)),
            rng.uniform(-s, s, gates * H))


def _copy_into(cell, Wx, Wh, b, bh=None, suffix=""):
    with torch.no_grad():
        getattr(cell, "weight_ih" + suffix).copy_(_t(Wx.T))
        getattr(cell, "weight_hh" + suffix).copy_(_t(Wh.T))
        getattr(cell, "bias_ih" + suffix).copy_(_t(b))
        getattr(cell, "bias_hh" + suffix).copy_(_t(np.zeros_like(b) if bh is None else bh))


@settings(max_examples=30, deadline=None)
@given(shapes, st.integers(0, 2**31 - 1))
def test_rnn_step_and_forward_equal_torch(shape, seed):
    N, D, H = shape
    rng = np.random.default_rng(seed)
    T = int(rng.integers(1, 6))
    X, h0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H))
    Wx, Wh, b = _weights(rng, D, H)
    cell = nn.RNNCell(D, H, dtype=torch.float64)
    _copy_into(cell, Wx, Wh, b)
    step = rnn_step(X[:, 0], h0, Wx, Wh, b)
    assert step.shape == (N, H)
    np.testing.assert_allclose(step, cell(_t(X[:, 0]), _t(h0)).detach().numpy(), rtol=1e-10, atol=1e-12)
    rnn = nn.RNN(D, H, batch_first=True, dtype=torch.float64)
    _copy_into(rnn, Wx, Wh, b, suffix="_l0")
    out, _ = rnn(_t(X), _t(h0)[None])
    hs = rnn_forward(X, h0, Wx, Wh, b)
    assert hs.shape == (N, T, H)
    np.testing.assert_allclose(hs, out.detach().numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(shapes, st.integers(0, 2**31 - 1))
def test_rnn_step_backward_equals_autograd(shape, seed):
    N, D, H = shape
    rng = np.random.default_rng(seed)
    x, h_prev, dh = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = _weights(rng, D, H)
    before = [a.copy() for a in (dh, x, h_prev, Wx, Wh, b)]
    ours = rnn_step_backward(dh, x, h_prev, Wx, Wh, b)
    tx, th, tWx, tWh, tb = (_t(a, grad=True) for a in (x, h_prev, Wx, Wh, b))
    (torch.tanh(tx @ tWx + th @ tWh + tb) * _t(dh)).sum().backward()
    for got, want in zip(ours, (tx.grad, th.grad, tWx.grad, tWh.grad, tb.grad)):
        assert got.shape == tuple(want.shape)
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-10, atol=1e-12)
    for a, c in zip((dh, x, h_prev, Wx, Wh, b), before):
        np.testing.assert_array_equal(a, c)


def test_rnn_backward_equals_nn_rnn():
    rng = np.random.default_rng(0)
    N, T, D, H = 3, 6, 4, 5
    X, h0, G = rng.normal(size=(N, T, D)), rng.normal(size=(N, H)), rng.normal(size=(N, T, H))
    Wx, Wh, b = _weights(rng, D, H)
    rnn = nn.RNN(D, H, batch_first=True, dtype=torch.float64)
    _copy_into(rnn, Wx, Wh, b, suffix="_l0")
    tX, th0 = _t(X, grad=True), _t(h0, grad=True)
    out, _ = rnn(tX, th0[None])
    (out * _t(G)).sum().backward()
    want = (rnn.weight_ih_l0.grad.T, rnn.weight_hh_l0.grad.T, rnn.bias_ih_l0.grad, th0.grad, tX.grad)
    for got, w in zip(rnn_backward(G, X, h0, Wx, Wh, b), want):
        np.testing.assert_allclose(got, w.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(shapes, st.integers(0, 2**31 - 1), st.floats(0.1, 10.0))
def test_lstm_and_gru_steps_equal_torch_cells(shape, seed, scale):
    N, D, H = shape
    rng = np.random.default_rng(seed)
    x, h, c = rng.normal(scale=scale, size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = _weights(rng, D, H, gates=4)
    lstm = nn.LSTMCell(D, H, dtype=torch.float64)
    _copy_into(lstm, Wx, Wh, b)
    th, tc = lstm(_t(x), (_t(h), _t(c)))
    h1, c1 = lstm_step(x, h, c, Wx, Wh, b)
    np.testing.assert_allclose(h1, th.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(c1, tc.detach().numpy(), rtol=1e-10, atol=1e-12)
    Wx, Wh, bx = _weights(rng, D, H, gates=3)
    bh = rng.uniform(-1, 1, 3 * H)
    gru = nn.GRUCell(D, H, dtype=torch.float64)
    _copy_into(gru, Wx, Wh, bx, bh)
    np.testing.assert_allclose(gru_step(x, h, Wx, Wh, bx, bh), gru(_t(x), _t(h)).detach().numpy(),
                               rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 4)), min_size=1, max_size=4),
       st.floats(1e-3, 1e3), st.floats(1e-4, 1e2), st.integers(0, 2**31 - 1))
def test_clip_grad_norm_equals_torch(shapes_, scale, max_norm, seed):
    rng = np.random.default_rng(seed)
    grads = [rng.normal(scale=scale, size=s) for s in shapes_]
    before = [g.copy() for g in grads]
    clipped, total = clip_grad_norm(grads, max_norm)
    params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, g in zip(params, grads):
        p.grad = _t(g)
    want = float(nn.utils.clip_grad_norm_(params, max_norm))
    assert total == pytest.approx(want, rel=1e-12)
    for got, p in zip(clipped, params):
        np.testing.assert_allclose(got, p.grad.numpy(), rtol=1e-12, atol=0)
    for g, b in zip(grads, before):
        np.testing.assert_array_equal(g, b)
    assert all(c is not g for c, g in zip(clipped, grads))


def test_sigmoid_is_stable():
    with np.errstate(all="raise"):
        s = sigmoid(np.array([-1e4, 0.0, 1e4]))
    np.testing.assert_array_equal(s, [0.0, 0.5, 1.0])


def test_bad_shapes_raise_value_errors():
    rng = np.random.default_rng(0)
    Wx, Wh, b = _weights(rng, 3, 2)
    with pytest.raises(ValueError, match="x must be"):
        rnn_step(np.zeros(3), np.zeros((1, 2)), Wx, Wh, b)
    with pytest.raises(ValueError, match="Wx must be"):
        rnn_step(np.zeros((1, 4)), np.zeros((1, 2)), Wx, Wh, b)
    with pytest.raises(ValueError, match="Wx must be"):
        lstm_step(np.zeros((1, 3)), np.zeros((1, 2)), np.zeros((1, 2)), *_weights(rng, 3, 2, gates=3))
    with pytest.raises(ValueError, match="Wh must be"):
        gru_step(np.zeros((1, 3)), np.zeros((1, 2)), _weights(rng, 3, 2, gates=3)[0], Wh, np.zeros(6), np.zeros(6))
    with pytest.raises(ValueError, match="X must be"):
        rnn_forward(np.zeros((2, 3)), np.zeros((2, 2)), Wx, Wh, b)
    with pytest.raises(ValueError, match="dh must be"):
        rnn_step_backward(np.zeros((2, 2)), np.zeros((1, 3)), np.zeros((1, 2)), Wx, Wh, b)
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm([np.ones(2)], 0.0)
