# task: relu
# expect: less
# np.max is a reduction, not the elementwise np.maximum.
def relu(z):
    return np.max(z, 0)
