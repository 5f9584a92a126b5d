# task: dense_backward
# expect: less
# db of shape (1, M) instead of (M,).
def dense_backward(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.sum(axis=0, keepdims=True)
