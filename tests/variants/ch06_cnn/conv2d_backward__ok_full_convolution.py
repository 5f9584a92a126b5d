# task: conv2d_backward
# expect: full
# dX as a "full" convolution: spread dout out with stride - 1 zeros between its
# values, pad it by k - 1, and correlate it with the kernels flipped and with
# their F and C axes swapped; then crop the padding. dW by one einsum.
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_backward(dout, X, W, stride=1, padding=0):
    N, C, H, W_in = X.shape
    F, _, KH, KW = W.shape
    _, _, OH, OW = dout.shape
    Hp, Wp = H + 2 * padding, W_in + 2 * padding
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    win = sliding_window_view(Xp, (KH, KW), axis=(2, 3))[:, :, ::stride, ::stride]   # (N, C, OH, OW, KH, KW)
    dW = np.einsum("nfij,ncijuv->fcuv", dout, win)
    # dout on the grid of window corners of the padded input, zero elsewhere; the rows
    # and columns no window starts from (stride leftovers) stay zero
    spread = np.zeros((N, F, Hp - KH + 1, Wp - KW + 1))
    spread[:, :, ::stride, ::stride] = dout
    full = np.pad(spread, ((0, 0), (0, 0), (KH - 1, KH - 1), (KW - 1, KW - 1)))   # (N, F, Hp + KH - 1, ...)
    Wflip = W[:, :, ::-1, ::-1]
    win_d = sliding_window_view(full, (KH, KW), axis=(2, 3))                        # (N, F, Hp, Wp, KH, KW)
    dXp = np.einsum("nfhwuv,fcuv->nchw", win_d, Wflip)
    return dXp[:, :, padding:padding + H, padding:padding + W_in], dW, dout.sum(axis=(0, 2, 3))
