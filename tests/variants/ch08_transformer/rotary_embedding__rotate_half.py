# task: rotary_embedding
# expect: less
# Pairs channel i with channel i + d/2 (the "rotate half" layout) instead of the neighbours 2i, 2i+1.
def rotary_embedding(X, base=10000.0):
    T, d = X.shape[-2:]
    h = d // 2
    angle = np.arange(T)[:, None] * base ** (-np.arange(0, d, 2) / d)
    c, s = np.cos(angle), np.sin(angle)
    x0, x1 = X[..., :h], X[..., h:]
    return np.concatenate([x0 * c - x1 * s, x0 * s + x1 * c], axis=-1)
