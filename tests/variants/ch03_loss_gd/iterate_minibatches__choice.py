# task: iterate_minibatches
# expect: less
# rng.choice without replacement is a valid shuffle, but not rng.permutation(n).
def iterate_minibatches(n, batch_size, rng):
    perm = rng.choice(n, size=n, replace=False)
    return [perm[i:i + batch_size] for i in range(0, n, batch_size)]
