# task: relu
# expect: full
def relu(z):
    return np.where(z > 0, z, 0.0)
