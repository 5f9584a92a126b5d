# task: dense_backward
# expect: less
# dX = dout @ W: raises for most shapes, wrong values when D == M.
def dense_backward(dout, X, W):
    return dout @ W, X.T @ dout, dout.sum(axis=0)
