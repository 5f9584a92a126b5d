# task: conv2d_backward
# expect: full
# One output position at a time: its window gets dout times the kernels, the
# kernels get dout times its window.
def conv2d_backward(dout, X, W, stride=1, padding=0):
    N, C, H, W_in = X.shape
    F, _, KH, KW = W.shape
    _, _, OH, OW = dout.shape
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dXp = np.zeros_like(Xp)
    dW = np.zeros_like(W)
    for n in range(N):
        for i in range(OH):
            for j in range(OW):
                rows = slice(i * stride, i * stride + KH)
                cols = slice(j * stride, j * stride + KW)
                for f in range(F):
                    dXp[n, :, rows, cols] += dout[n, f, i, j] * W[f]
                    dW[f] += dout[n, f, i, j] * Xp[n, :, rows, cols]
    db = dout.sum(axis=(0, 2, 3))
    return dXp[:, :, padding:padding + H, padding:padding + W_in], dW, db
