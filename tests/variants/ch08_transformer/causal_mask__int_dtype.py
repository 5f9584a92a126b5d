# task: causal_mask
# expect: less
# Right values, but an integer array instead of a boolean one.
def causal_mask(T):
    return np.tril(np.ones((T, T), dtype=int))
