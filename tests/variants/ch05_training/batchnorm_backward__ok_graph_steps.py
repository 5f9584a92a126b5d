# task: batchnorm_backward
# expect: full
# A different correct backward pass: node by node through the graph (mean, centred X, variance, std).
def batchnorm_backward(dout, X, gamma, eps=1e-5):
    N = X.shape[0]
    mu = np.sum(X, axis=0) / N
    xc = X - mu
    var = np.sum(xc * xc, axis=0) / N
    std = np.sqrt(var + eps)
    x_hat = xc / std
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx_hat = dout * gamma
    dstd = -np.sum(dx_hat * xc, axis=0) / std ** 2
    dvar = dstd / (2 * std)
    dxc = dx_hat / std + 2 * xc * dvar / N
    dmu = -np.sum(dxc, axis=0)
    dX = dxc + dmu / N
    return dX, dgamma, dbeta
