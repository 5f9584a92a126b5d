# task: dropout_forward
# expect: less
# Ignores train: drops units in eval mode too.
def dropout_forward(X, p, rng, train=True):
    if p == 0:
        return X.copy(), np.ones_like(X)
    mask = (rng.random(X.shape) >= p).astype(np.float64)
    return X * mask / (1 - p), mask
