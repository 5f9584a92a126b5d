# task: relu
# expect: less
# Casts to integers.
def relu(z):
    return np.maximum(z, 0).astype(np.int64)
