# task: dropout_forward
# expect: less
# Multiplies the kept values by 1 - p instead of dividing by it.
def dropout_forward(X, p, rng, train=True):
    if not train or p == 0:
        return X.copy(), np.ones_like(X)
    mask = (rng.random(X.shape) >= p).astype(np.float64)
    return X * mask * (1 - p), mask
