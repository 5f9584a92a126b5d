# task: rms_norm
# expect: less
# Adds eps to the root, sqrt(mean(x**2)) + eps, instead of inside it.
def rms_norm(X, gamma, eps=1e-6):
    return X / (np.sqrt((X ** 2).mean(axis=-1, keepdims=True)) + eps) * gamma
