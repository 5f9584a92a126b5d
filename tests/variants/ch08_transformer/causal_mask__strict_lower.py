# task: causal_mask
# expect: less
# Strictly below the diagonal: a position cannot attend to itself.
def causal_mask(T):
    return np.tril(np.ones((T, T), dtype=bool), k=-1)
