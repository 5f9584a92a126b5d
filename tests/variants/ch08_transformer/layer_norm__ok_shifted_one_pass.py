# task: layer_norm
# expect: full
# Another correct answer: one pass over the data, made stable by shifting every vector by its first
# entry before the sums (the "shifted data" variance): E[(x-k)^2] - E[x-k]^2 with k close to the mean.
def layer_norm(X, gamma, beta, eps=1e-5):
    D = X.shape[-1]
    Y = X - X[..., :1]
    m = Y.sum(axis=-1, keepdims=True) / D
    var = (Y * Y).sum(axis=-1, keepdims=True) / D - m * m
    return gamma * (Y - m) / np.sqrt(var + eps) + beta
