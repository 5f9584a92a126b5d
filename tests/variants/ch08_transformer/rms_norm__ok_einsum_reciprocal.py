# task: rms_norm
# expect: full
# A different correct answer: the mean square by einsum, multiplied by the reciprocal root.
def rms_norm(X, gamma, eps=1e-6):
    D = X.shape[-1]
    ms = np.einsum("...i,...i->...", X, X)[..., None] / D
    inv = 1.0 / np.sqrt(ms + eps)
    return (X * inv) * np.asarray(gamma, dtype=float)
