# task: conv2d_forward
# expect: full
# The chapter's reference with four loops, one output value at a time.
def conv2d_forward(X, W, b, stride=1, padding=0):
    N, C, H, W_in = X.shape
    F, _, KH, KW = W.shape
    OH = (H + 2 * padding - KH) // stride + 1
    OW = (W_in + 2 * padding - KW) // stride + 1
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.empty((N, F, OH, OW))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    window = Xp[n, :, i * stride:i * stride + KH, j * stride:j * stride + KW]
                    out[n, f, i, j] = np.sum(window * W[f]) + b[f]
    return out
