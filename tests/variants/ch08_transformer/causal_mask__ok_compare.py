# task: causal_mask
# expect: full
# A different correct answer: compare the key index with the query index.
def causal_mask(T):
    t = np.arange(T)
    return t[None, :] <= t[:, None]
