# task: dropout_forward
# expect: less
# The right output, but the returned mask marks the dropped entries instead of the kept ones.
def dropout_forward(X, p, rng, train=True):
    if not train or p == 0:
        return X.copy(), np.ones_like(X)
    dropped = rng.random(X.shape) < p
    return np.where(dropped, 0.0, X / (1 - p)), dropped.astype(np.float64)
