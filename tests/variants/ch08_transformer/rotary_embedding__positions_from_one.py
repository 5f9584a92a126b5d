# task: rotary_embedding
# expect: less
# Counts positions from 1, so the first position is turned too.
def rotary_embedding(X, base=10000.0):
    T, d = X.shape[-2:]
    angle = np.arange(1, T + 1)[:, None] * base ** (-np.arange(0, d, 2) / d)
    c, s = np.cos(angle), np.sin(angle)
    out = np.empty_like(X)
    out[..., 0::2] = X[..., 0::2] * c - X[..., 1::2] * s
    out[..., 1::2] = X[..., 0::2] * s + X[..., 1::2] * c
    return out
