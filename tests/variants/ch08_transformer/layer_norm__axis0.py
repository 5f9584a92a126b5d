# task: layer_norm
# expect: less
# Normalises over axis 0 (the batch), like batch norm.
def layer_norm(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0, keepdims=True)
    var = X.var(axis=0, keepdims=True)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta
