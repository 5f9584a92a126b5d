# task: iterate_minibatches
# expect: less
# Random indices with replacement: some examples twice, some never.
def iterate_minibatches(n, batch_size, rng):
    idx = rng.integers(0, n, size=n)
    return [idx[i:i + batch_size] for i in range(0, n, batch_size)]
