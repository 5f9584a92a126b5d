# task: iterate_minibatches
# expect: less
# Forgets to shuffle: batches in the data's order.
def iterate_minibatches(n, batch_size, rng):
    idx = np.arange(n)
    return [idx[i:i + batch_size] for i in range(0, n, batch_size)]
