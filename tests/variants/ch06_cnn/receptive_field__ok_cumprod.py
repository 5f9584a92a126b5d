# task: receptive_field
# expect: full
# Vectorised with np.cumprod: returns a NumPy integer.
def receptive_field(layers):
    if len(layers) == 0:
        return 1
    pairs = np.asarray(layers, dtype=np.int64).reshape(-1, 2)
    jumps = np.concatenate([[1], np.cumprod(pairs[:-1, 1])])
    return 1 + np.sum((pairs[:, 0] - 1) * jumps)
