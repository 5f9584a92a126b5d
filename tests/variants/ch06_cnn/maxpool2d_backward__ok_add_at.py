# task: maxpool2d_backward
# expect: full
# Vectorised: flat argmax of every window, then np.add.at scatters dout to the maxima.
from numpy.lib.stride_tricks import sliding_window_view


def maxpool2d_backward(dout, X, k=2, stride=2):
    N, C, OH, OW = dout.shape
    win = sliding_window_view(X, (k, k), axis=(2, 3))[:, :, ::stride, ::stride].reshape(N, C, OH, OW, k * k)
    u, v = np.divmod(win.argmax(axis=-1), k)
    rows = stride * np.arange(OH)[:, None] + u
    cols = stride * np.arange(OW)[None, :] + v
    n = np.arange(N)[:, None, None, None]
    c = np.arange(C)[None, :, None, None]
    dX = np.zeros(X.shape)
    np.add.at(dX, (n, c, rows, cols), dout)
    return dX
