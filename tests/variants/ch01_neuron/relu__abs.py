# task: relu
# expect: less
# Confuses rectification with absolute value.
def relu(z):
    return np.abs(z)
