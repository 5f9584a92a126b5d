"""nncourse.conv: chapter 6's NumPy convolution equals torch's, and never copies its input."""

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
