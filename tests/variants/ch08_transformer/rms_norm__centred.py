# task: rms_norm
# expect: less
# Subtracts the mean first: that is layer norm without beta, not RMS norm.
def rms_norm(X, gamma, eps=1e-6):
    Z = X - X.mean(axis=-1, keepdims=True)
    return Z / np.sqrt((Z ** 2).mean(axis=-1, keepdims=True) + eps) * gamma
