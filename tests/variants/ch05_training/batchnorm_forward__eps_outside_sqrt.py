# task: batchnorm_forward
# expect: less
# eps added to the standard deviation instead of the variance.
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    std = X.std(axis=0)
    return gamma * (X - mu) / (std + eps) + beta
