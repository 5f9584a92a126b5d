# task: iterate_minibatches
# expect: less
# Draws from the global NumPy state, not from rng.
def iterate_minibatches(n, batch_size, rng):
    perm = np.random.permutation(n)
    return [perm[i:i + batch_size] for i in range(0, n, batch_size)]
