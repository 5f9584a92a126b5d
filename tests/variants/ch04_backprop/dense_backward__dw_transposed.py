# task: dense_backward
# expect: less
# dW computed as dout.T @ X: shape (M, D) instead of (D, M).
def dense_backward(dout, X, W):
    return dout @ W.T, dout.T @ X, dout.sum(axis=0)
