# task: rms_norm
# expect: full
# A different correct answer: the mean square from np.linalg.norm, gamma given as any sequence.
def rms_norm(X, gamma, eps=1e-6):
    D = X.shape[-1]
    norm = np.linalg.norm(X, axis=-1, keepdims=True)          # sqrt(sum of squares)
    return X * np.asarray(gamma) / np.sqrt(norm ** 2 / D + eps)
