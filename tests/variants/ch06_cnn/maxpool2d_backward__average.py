# task: maxpool2d_backward
# expect: less
# Spreads each window's gradient evenly over the window: average pooling's backward pass.
def maxpool2d_backward(dout, X, k=2, stride=2):
    N, C, OH, OW = dout.shape
    dX = np.zeros(X.shape)
    for i in range(OH):
        for j in range(OW):
            dX[:, :, i * stride:i * stride + k, j * stride:j * stride + k] += dout[:, :, i, j, None, None] / (k * k)
    return dX
