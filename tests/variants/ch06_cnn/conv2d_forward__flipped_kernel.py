# task: conv2d_forward
# expect: less
# A true convolution: the kernel is flipped (deep learning's conv2d does not flip).
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_forward(X, W, b, stride=1, padding=0):
    Wf = W[:, :, ::-1, ::-1]
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    win = sliding_window_view(Xp, Wf.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("nchwuv,fcuv->nfhw", win, Wf) + b[:, None, None]
