# task: layer_norm
# expect: full
# A different correct answer: np.var, and a multiplication by the inverse standard deviation.
def layer_norm(X, gamma, beta, eps=1e-5):
    inv = 1.0 / np.sqrt(np.var(X, axis=-1, keepdims=True) + eps)
    return (X - np.mean(X, axis=-1, keepdims=True)) * inv * gamma + beta
