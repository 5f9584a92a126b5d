"""nncourse.conv: chapter 6's NumPy convolution, pooling and their gradients equal torch's; the receptive
field formula equals the one measured with gradients; the im2col view never copies its input."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nncourse.conv import conv2d_forward, conv_windows, im2col


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", [
    ((2, 3, 7, 7), (4, 3, 3, 3), 1, 0),
    ((2, 3, 8, 9), (5, 3, 3, 2), 2, 1),
    ((3, 4, 10, 6), (2, 4, 5, 3), 3, 2),
    ((1, 1, 5, 5), (1, 1, 5, 5), 1, 0),
])
def test_conv2d_forward_equals_torch(x_shape, w_shape, stride, padding):
    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
    ours = conv2d_forward(X, W, b, stride, padding)
    theirs = F.conv2d(*(torch.tensor(a) for a in (X, W, b)), stride=stride, padding=padding).numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_conv_windows_is_a_view_of_the_padded_input():
    X = np.arange(2 * 1 * 4 * 5, dtype=float).reshape(2, 1, 4, 5)
    w = conv_windows(X, 3, 2, stride=2, padding=1)         # padded (6, 7): (2, 1, 2, 3, 3, 2)
    assert w.shape == (2, 1, 2, 3, 3, 2)
    assert not w.flags.writeable                           # a strided view, no copy
    np.testing.assert_array_equal(w[1, 0, 1, 2], np.pad(X, 1)[2, 1, 2:5, 4:6])
    assert conv_windows(X, 2, 2).base is not None


def test_conv2d_forward_keeps_float32():
    X = np.ones((1, 2, 4, 4), np.float32)
    W = np.ones((3, 2, 3, 3), np.float32)
    out = conv2d_forward(X, W, np.zeros(3, np.float32), padding=1)
    assert out.dtype == np.float32 and out[0, 0, 1, 1] == 18 and out[0, 0, 0, 0] == 8


@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 1), (3, 2)])
def test_im2col_holds_the_windows_as_columns(stride, padding):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 3, 7, 8))
    X_before = X.copy()
    cols = im2col(X, 3, 2, stride, padding)
    windows = conv_windows(X, 3, 2, stride, padding)                  # (N, C, OH, OW, KH, KW)
    N, C, OH, OW, KH, KW = windows.shape
    expected = windows.transpose(1, 4, 5, 0, 2, 3).reshape(C * KH * KW, N * OH * OW)
    np.testing.assert_array_equal(cols, expected)
    np.testing.assert_array_equal(X, X_before)


# ---------------------------------------------------------------- the references the chapter imports
from hypothesis import given, settings, strategies as st  # noqa: E402

from nncourse.conv import (conv2d_backward, conv2d_loops, conv_output_size, maxpool2d_backward,  # noqa: E402
                           maxpool2d_forward, receptive_field)


@given(n=st.integers(1, 40), k=st.integers(1, 9), stride=st.integers(1, 5), padding=st.integers(0, 4))
@settings(max_examples=60, deadline=None)
def test_conv_output_size_equals_torch(n, k, stride, padding):
    if n + 2 * padding < k:
        with pytest.raises(ValueError, match="k <= n"):
            conv_output_size(n, k, stride, padding)
        return
    out = F.conv2d(torch.zeros(1, 1, n, 1), torch.zeros(1, 1, k, 1), stride=(stride, 1), padding=(padding, 0))
    size = conv_output_size(n, k, stride, padding)
    assert type(size) is int and size == out.shape[2]


@pytest.mark.parametrize("x_shape, w_shape, stride, padding", [
    ((2, 3, 7, 7), (4, 3, 3, 3), 1, 0),
    ((2, 3, 8, 9), (5, 3, 3, 2), 2, 1),
    ((3, 4, 10, 6), (2, 4, 5, 3), 3, 2),
    ((1, 1, 5, 5), (2, 1, 1, 1), 1, 0),
])
def test_conv2d_loops_and_backward_equal_torch(x_shape, w_shape, stride, padding):
    rng = np.random.default_rng(2)
    X, W, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
    Xt, Wt, bt = (torch.tensor(a, requires_grad=True) for a in (X, W, b))
    out = F.conv2d(Xt, Wt, bt, stride=stride, padding=padding)
    np.testing.assert_allclose(conv2d_loops(X, W, b, stride, padding), out.detach().numpy(), rtol=1e-12, atol=1e-12)
    dout = rng.normal(size=out.shape)
    out.backward(torch.tensor(dout))
    before = [a.copy() for a in (dout, X, W)]
    dX, dW, db = conv2d_backward(dout, X, W, stride, padding)
    for ours, theirs in ((dX, Xt), (dW, Wt), (db, bt)):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-11, atol=1e-11)
    for a, b_ in zip((dout, X, W), before):
        np.testing.assert_array_equal(a, b_)


@given(shape=st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(3, 11), st.integers(3, 11)),
       k=st.integers(1, 3), stride=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_maxpool2d_forward_and_backward_equal_torch(shape, k, stride, seed):
    rng = np.random.default_rng(seed)
    X = rng.permutation(np.prod(shape)).reshape(shape).astype(float)   # distinct values: no ties
    Xt = torch.tensor(X, requires_grad=True)
    out = F.max_pool2d(Xt, k, stride)
    np.testing.assert_array_equal(maxpool2d_forward(X, k, stride), out.detach().numpy())
    dout = rng.normal(size=out.shape)
    out.backward(torch.tensor(dout))
    np.testing.assert_allclose(maxpool2d_backward(dout, X, k, stride), Xt.grad.numpy(), rtol=1e-12, atol=1e-12)


def _measured(layers):
    """The span of input samples that get a gradient from output unit 0 of stacked 1-D convolutions."""
    length = 1 + sum(k * int(np.prod([s for _, s in layers[:l]])) for l, (k, _) in enumerate(layers))
    x = torch.zeros(1, 1, length, dtype=torch.float64, requires_grad=True)
    h = x
    for k, s in layers:
        h = F.conv1d(h, torch.ones(1, 1, k, dtype=torch.float64), stride=s)
    h[0, 0, 0].backward()
    reached = torch.nonzero(x.grad[0, 0]).ravel()
    return int(reached.max() - reached.min()) + 1


@given(layers=st.lists(st.tuples(st.integers(1, 7), st.integers(1, 3)), max_size=6))
@settings(max_examples=60, deadline=None)
def test_receptive_field_equals_the_measured_one(layers):
    assert receptive_field(layers) == (_measured(layers) if layers else 1)


def test_receptive_field_of_the_chapters_cnn_and_bad_layers():
    assert receptive_field([(3, 1), (2, 2), (3, 1), (2, 2)]) == 10
    with pytest.raises(ValueError, match="must be >= 1"):
        receptive_field([(3, 0)])


def test_bad_shapes_raise_clear_errors():
    X = np.zeros((1, 2, 5, 5))
    with pytest.raises(ValueError, match=r"W must be \(F, C, KH, KW\) with C = 2"):
        conv2d_backward(np.zeros((1, 1, 3, 3)), X, np.zeros((1, 3, 3, 3)))
    with pytest.raises(ValueError, match=r"dout must be"):
        conv2d_backward(np.zeros((1, 1, 4, 4)), X, np.zeros((1, 2, 3, 3)))
    with pytest.raises(ValueError, match=r"X must be \(N, C, H, W\)"):
        maxpool2d_forward(np.zeros((5, 5)))
    with pytest.raises(ValueError, match=r"dout must be"):
        maxpool2d_backward(np.zeros((1, 2, 3, 3)), X)
