# task: rotary_embedding
# expect: less
# Turns each pair the wrong way (by -angle): x0 cos + x1 sin, -x0 sin + x1 cos.
def rotary_embedding(X, base=10000.0):
    T, d = X.shape[-2:]
    angle = np.arange(T)[:, None] * base ** (-np.arange(0, d, 2) / d)
    c, s = np.cos(angle), np.sin(angle)
    out = np.empty_like(X)
    out[..., 0::2] = X[..., 0::2] * c + X[..., 1::2] * s
    out[..., 1::2] = -X[..., 0::2] * s + X[..., 1::2] * c
    return out
