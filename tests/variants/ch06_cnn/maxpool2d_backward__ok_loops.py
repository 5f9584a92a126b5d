# task: maxpool2d_backward
# expect: full
# Plain loops over images, channels and windows, with np.unravel_index of the argmax.
def maxpool2d_backward(dout, X, k=2, stride=2):
    N, C, OH, OW = dout.shape
    dX = np.zeros_like(X, dtype=float)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    win = X[n, c, i * stride:i * stride + k, j * stride:j * stride + k]
                    u, v = np.unravel_index(np.argmax(win), win.shape)
                    dX[n, c, i * stride + u, j * stride + v] += dout[n, c, i, j]
    return dX
