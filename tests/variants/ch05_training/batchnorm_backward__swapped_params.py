# task: batchnorm_backward
# expect: less
# dX is right, but dgamma and dbeta are returned in the wrong order.
def batchnorm_backward(dout, X, gamma, eps=1e-5):
    N = X.shape[0]
    mu = X.mean(axis=0)
    inv_std = 1.0 / np.sqrt(X.var(axis=0) + eps)
    X_hat = (X - mu) * inv_std
    dX_hat = dout * gamma
    dX = inv_std / N * (N * dX_hat - dX_hat.sum(axis=0) - X_hat * (dX_hat * X_hat).sum(axis=0))
    return dX, dout.sum(axis=0), (dout * X_hat).sum(axis=0)
