# task: batchnorm_forward
# expect: full
# A different correct formulation: sums written out, the reciprocal standard deviation first.
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    N = X.shape[0]
    mu = np.sum(X, axis=0) / N                     # (D,)
    centred = X - mu                               # (N, D)
    var = np.sum(centred * centred, axis=0) / N    # (D,)
    inv_std = 1.0 / np.sqrt(var + eps)
    return centred * (gamma * inv_std) + beta
