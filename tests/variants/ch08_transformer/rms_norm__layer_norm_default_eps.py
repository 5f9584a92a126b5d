# task: rms_norm
# expect: less
# Uses layer norm's default eps (1e-5) instead of 1e-6: wrong where the values are small.
def rms_norm(X, gamma, eps=1e-5):
    return X / np.sqrt(np.mean(X * X, axis=-1, keepdims=True) + eps) * gamma
