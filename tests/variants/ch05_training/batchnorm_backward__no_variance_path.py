# task: batchnorm_backward
# expect: less
# Keeps the path through the mean but forgets the one through the variance.
def batchnorm_backward(dout, X, gamma, eps=1e-5):
    mu = X.mean(axis=0)
    var = X.var(axis=0)
    std = np.sqrt(var + eps)
    X_hat = (X - mu) / std
    dX_hat = dout * gamma
    dX = (dX_hat - dX_hat.mean(axis=0)) / std
    return dX, (dout * X_hat).sum(axis=0), dout.sum(axis=0)
