# task: relu_backward
# expect: less
# Right values, but zeroes the caller's dout in place.
def relu_backward(dout, Z):
    dout[Z <= 0] = 0.0
    return dout
