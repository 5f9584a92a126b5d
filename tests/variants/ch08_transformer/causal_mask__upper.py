# task: causal_mask
# expect: less
# The upper triangle: the future instead of the past.
def causal_mask(T):
    return np.triu(np.ones((T, T), dtype=bool))
