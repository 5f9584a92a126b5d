# task: dense_backward
# expect: less
# db averaged over the batch instead of summed.
def dense_backward(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.mean(axis=0)
