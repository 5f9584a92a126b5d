# task: maxpool2d_backward
# expect: less
# Reads the flat argmax of a window as (column, row): the gradient lands on the transposed position.
def maxpool2d_backward(dout, X, k=2, stride=2):
    N, C, OH, OW = dout.shape
    dX = np.zeros(X.shape)
    for i in range(OH):
        for j in range(OW):
            win = X[:, :, i * stride:i * stride + k, j * stride:j * stride + k].reshape(N, C, k * k)
            flat = win.argmax(axis=2)                       # (N, C)
            v, u = np.divmod(flat, k)
            for n in range(N):
                for c in range(C):
                    dX[n, c, i * stride + u[n, c], j * stride + v[n, c]] += dout[n, c, i, j]
    return dX
