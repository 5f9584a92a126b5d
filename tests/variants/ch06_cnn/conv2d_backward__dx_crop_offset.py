# task: conv2d_backward
# expect: less
# Crops the padded gradient at the top-left corner instead of at (padding, padding).
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_backward(dout, X, W, stride=1, padding=0):
    N, C, H, W_in = X.shape
    KH, KW = W.shape[2:]
    OH, OW = dout.shape[2:]
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    win = sliding_window_view(Xp, (KH, KW), axis=(2, 3))[:, :, ::stride, ::stride]
    dW = np.einsum("nfij,ncijuv->fcuv", dout, win)
    dXp = np.zeros(Xp.shape)
    for u in range(KH):
        for v in range(KW):
            dXp[:, :, u:u + stride * OH:stride, v:v + stride * OW:stride] += np.einsum("nfij,fc->ncij", dout, W[:, :, u, v])
    return dXp[:, :, :H, :W_in], dW, dout.sum(axis=(0, 2, 3))
