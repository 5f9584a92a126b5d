# task: layer_norm
# expect: less
# Adds eps to the standard deviation instead of to the variance.
def layer_norm(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=-1, keepdims=True)
    sd = X.std(axis=-1, keepdims=True)
    return gamma * (X - mu) / (sd + eps) + beta
