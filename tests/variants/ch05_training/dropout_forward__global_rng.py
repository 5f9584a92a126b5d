# task: dropout_forward
# expect: less
# Draws from NumPy's global random state instead of rng: not reproducible from rng.
def dropout_forward(X, p, rng, train=True):
    if not train or p == 0:
        return X.copy(), np.ones_like(X)
    mask = (np.random.rand(*X.shape) >= p).astype(np.float64)
    return X * mask / (1 - p), mask
