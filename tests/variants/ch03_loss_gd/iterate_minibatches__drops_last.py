# task: iterate_minibatches
# expect: less
# Only full batches: the smaller last one is lost.
def iterate_minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    return [perm[k * batch_size:(k + 1) * batch_size] for k in range(n // batch_size)]
