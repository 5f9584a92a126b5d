# task: iterate_minibatches
# expect: less
# Off by one in the slice end: consecutive batches share an index.
def iterate_minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    return [perm[i:i + batch_size + 1] for i in range(0, n, batch_size)]
