# task: batchnorm_forward
# expect: less
# Normalises each sample (over its features) instead of each feature over the batch.
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=1, keepdims=True)
    var = X.var(axis=1, keepdims=True)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta
