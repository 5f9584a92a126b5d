# task: rms_norm
# expect: less
# Divides by the L2 norm (the squares summed, not averaged).
def rms_norm(X, gamma, eps=1e-6):
    return X / np.sqrt((X ** 2).sum(axis=-1, keepdims=True) + eps) * gamma
