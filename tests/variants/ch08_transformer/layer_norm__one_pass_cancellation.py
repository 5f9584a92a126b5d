# task: layer_norm
# expect: less
# The variance as E[x^2] - E[x]^2, in one pass over the data. Right in exact arithmetic, but for
# vectors of mean 1e6 and spread 1 the two terms (about 1e12) agree in their first 12 digits and the
# difference keeps about 4: the checks' large-mean cases catch it, in every draw of the hidden seed.
def layer_norm(X, gamma, beta, eps=1e-5):
    D = X.shape[-1]
    s1 = X.sum(axis=-1, keepdims=True)
    s2 = (X * X).sum(axis=-1, keepdims=True)
    mu = s1 / D
    var = s2 / D - mu * mu
    return gamma * (X - mu) / np.sqrt(var + eps) + beta
