# task: rotary_embedding
# expect: full
# A different correct answer: each pair as a complex number, multiplied by e^(i * angle).
def rotary_embedding(X, base=10000.0):
    *lead, T, d = X.shape
    z = X[..., 0::2] + 1j * X[..., 1::2]                     # (..., T, d/2)
    theta = np.outer(np.arange(T), np.power(float(base), -np.arange(0, d, 2) / d))
    w = z * np.exp(1j * theta)
    return np.stack([w.real, w.imag], axis=-1).reshape(X.shape)
