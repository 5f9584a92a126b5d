# task: conv2d_forward
# expect: less
# Pads only the top and the left of each image.
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_forward(X, W, b, stride=1, padding=0):
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, 0), (padding, 0)))
    win = sliding_window_view(Xp, W.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("nchwuv,fcuv->nfhw", win, W) + b[:, None, None]
