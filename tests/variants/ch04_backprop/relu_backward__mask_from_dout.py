# task: relu_backward
# expect: less
# Applies relu to the incoming gradient instead of masking by Z.
def relu_backward(dout, Z):
    return np.maximum(dout, 0.0)
