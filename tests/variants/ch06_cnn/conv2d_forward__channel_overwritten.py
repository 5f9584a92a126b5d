# task: conv2d_forward
# expect: less
# Loops over the input channels but assigns (=) instead of adding (+=): only
# the last channel survives; right only for one input channel.
def conv2d_forward(X, W, b, stride=1, padding=0):
    N, C, H, W_in = X.shape
    F, _, KH, KW = W.shape
    OH = (H + 2 * padding - KH) // stride + 1
    OW = (W_in + 2 * padding - KW) // stride + 1
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((N, F, OH, OW))
    for c in range(C):
        for i in range(OH):
            for j in range(OW):
                win = Xp[:, c, i * stride:i * stride + KH, j * stride:j * stride + KW]   # (N, KH, KW)
                out[:, :, i, j] = np.einsum("nuv,fuv->nf", win, W[:, c])
    return out + b[:, None, None]
