# task: rotary_embedding
# expect: less
# Uses base**(-i/d) with i the index of the pair, instead of base**(-2i/d).
def rotary_embedding(X, base=10000.0):
    T, d = X.shape[-2:]
    angle = np.arange(T)[:, None] * base ** (-np.arange(d // 2) / d)
    c, s = np.cos(angle), np.sin(angle)
    out = np.empty_like(X)
    out[..., 0::2] = X[..., 0::2] * c - X[..., 1::2] * s
    out[..., 1::2] = X[..., 0::2] * s + X[..., 1::2] * c
    return out
