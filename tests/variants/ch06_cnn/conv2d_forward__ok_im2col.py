# task: conv2d_forward
# expect: full
# Explicit im2col: one row per output position, one column per (c, u, v); then
# a single matrix product with the kernels reshaped to (C * KH * KW, F).
def conv2d_forward(X, W, b, stride=1, padding=0):
    N, C, H, W_in = X.shape
    F, _, KH, KW = W.shape
    OH = (H + 2 * padding - KH) // stride + 1
    OW = (W_in + 2 * padding - KW) // stride + 1
    Xp = np.zeros((N, C, H + 2 * padding, W_in + 2 * padding))
    Xp[:, :, padding:padding + H, padding:padding + W_in] = X
    cols = np.empty((N, OH, OW, C, KH, KW))
    for u in range(KH):
        for v in range(KW):
            patch = Xp[:, :, u:u + stride * OH:stride, v:v + stride * OW:stride]   # (N, C, OH, OW)
            cols[..., u, v] = patch.transpose(0, 2, 3, 1)
    out = cols.reshape(N * OH * OW, C * KH * KW) @ W.reshape(F, -1).T + b      # (N*OH*OW, F)
    return out.reshape(N, OH, OW, F).transpose(0, 3, 1, 2)
