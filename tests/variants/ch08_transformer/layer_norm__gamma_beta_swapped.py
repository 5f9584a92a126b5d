# task: layer_norm
# expect: less
# Scales by beta and shifts by gamma.
def layer_norm(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=-1, keepdims=True)
    var = X.var(axis=-1, keepdims=True)
    return beta * (X - mu) / np.sqrt(var + eps) + gamma
