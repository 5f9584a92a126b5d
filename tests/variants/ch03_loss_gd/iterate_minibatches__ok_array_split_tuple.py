# task: iterate_minibatches
# expect: full
# np.split at the multiples of batch_size, returned as a tuple of int arrays: the same batches.
def iterate_minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    return tuple(np.split(perm, np.arange(batch_size, n, batch_size)))
