# task: dropout_forward
# expect: less
# Reads p as the probability of keeping a unit.
def dropout_forward(X, p, rng, train=True):
    if not train or p == 0:
        return X.copy(), np.ones_like(X)
    mask = (rng.random(X.shape) < p).astype(np.float64)
    return X * mask / p, mask
