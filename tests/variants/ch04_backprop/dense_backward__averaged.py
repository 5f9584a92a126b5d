# task: dense_backward
# expect: less
# dW and db divided by the batch size (the mean belongs in the loss, not here).
def dense_backward(dout, X, W):
    N = X.shape[0]
    return dout @ W.T, X.T @ dout / N, dout.sum(axis=0) / N
