# task: batchnorm_forward
# expect: less
# The unbiased variance (divides by N - 1).
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    var = X.var(axis=0, ddof=1)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta
