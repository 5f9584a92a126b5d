# task: iterate_minibatches
# expect: full
# rng.shuffle of arange(n) draws the same permutation; np.split at multiples of batch_size.
def iterate_minibatches(n, batch_size, rng):
    idx = np.arange(n)
    rng.shuffle(idx)
    return np.split(idx, np.arange(batch_size, n, batch_size))
