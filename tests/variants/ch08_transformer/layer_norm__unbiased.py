# task: layer_norm
# expect: less
# The unbiased variance (ddof=1), as torch.var's default, instead of layer norm's biased one.
def layer_norm(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=-1, keepdims=True)
    var = X.var(axis=-1, keepdims=True, ddof=1)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta
