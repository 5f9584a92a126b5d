# task: iterate_minibatches
# expect: full
# A while loop, batches as lists of Python ints.
def iterate_minibatches(n, batch_size, rng):
    perm = rng.permutation(n).tolist()
    batches, start = [], 0
    while start < n:
        batches.append(perm[start:start + batch_size])
        start += batch_size
    return batches
