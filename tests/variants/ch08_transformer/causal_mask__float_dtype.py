# task: causal_mask
# expect: less
# Right values, but a float array (np.ones' default dtype).
def causal_mask(T):
    return np.tril(np.ones((T, T)))
