# task: layer_norm
# expect: full
# Another correct answer: the variance as E[x^2] - E[x]^2, in one pass over the data.
def layer_norm(X, gamma, beta, eps=1e-5):
    D = X.shape[-1]
    s1 = X.sum(axis=-1, keepdims=True)
    s2 = (X * X).sum(axis=-1, keepdims=True)
    mu = s1 / D
    var = s2 / D - mu * mu
    return gamma * (X - mu) / np.sqrt(var + eps) + beta
