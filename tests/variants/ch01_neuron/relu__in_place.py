# task: relu
# expect: less
# Right values, but zeroes the caller's array in place.
def relu(z):
    z[z < 0] = 0.0
    return z
