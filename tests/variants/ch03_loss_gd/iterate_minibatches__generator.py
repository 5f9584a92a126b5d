# task: iterate_minibatches
# expect: less
# A generator function: the right batches, but not a list.
def iterate_minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    for i in range(0, n, batch_size):
        yield perm[i:i + batch_size]
