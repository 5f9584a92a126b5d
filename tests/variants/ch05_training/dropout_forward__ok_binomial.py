# task: dropout_forward
# expect: full
# A different correct formulation: an integer mask from rng.binomial, scaled before masking.
def dropout_forward(X, p, rng, train=True):
    if not train or p == 0:
        return np.array(X, dtype=np.float64), np.ones(X.shape, dtype=np.int64)
    mask = rng.binomial(1, 1 - p, size=X.shape)
    return X / (1 - p) * mask, mask
