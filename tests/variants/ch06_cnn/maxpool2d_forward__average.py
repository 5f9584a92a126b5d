# task: maxpool2d_forward
# expect: less
# Average pooling instead of max pooling.
from numpy.lib.stride_tricks import sliding_window_view


def maxpool2d_forward(X, k=2, stride=2):
    return sliding_window_view(X, (k, k), axis=(2, 3))[:, :, ::stride, ::stride].mean(axis=(4, 5))
