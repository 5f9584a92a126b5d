# task: batchnorm_backward
# expect: less
# Treats the batch mean and variance as constants: dX = dout * gamma / sqrt(var + eps).
def batchnorm_backward(dout, X, gamma, eps=1e-5):
    mu = X.mean(axis=0)
    var = X.var(axis=0)
    X_hat = (X - mu) / np.sqrt(var + eps)
    dX = dout * gamma / np.sqrt(var + eps)
    return dX, (dout * X_hat).sum(axis=0), dout.sum(axis=0)
