# task: dense_backward
# expect: full
# Correct, one example at a time: every example adds an outer product to dW.
def dense_backward(dout, X, W):
    N, D = X.shape
    dX = np.zeros((N, D))
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[1])
    for n in range(N):
        dX[n] = W @ dout[n]
        dW += np.outer(X[n], dout[n])
        db += dout[n]
    return dX, dW, db
