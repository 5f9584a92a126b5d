# task: conv2d_forward
# expect: less
# Every window is used: the stride is ignored.
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_forward(X, W, b, stride=1, padding=0):
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    win = sliding_window_view(Xp, W.shape[2:], axis=(2, 3))
    return np.einsum("nchwuv,fcuv->nfhw", win, W) + b[:, None, None]
