# task: relu_backward
# expect: full
# Correct, with np.where.
def relu_backward(dout, Z):
    return np.where(Z > 0, dout, 0.0)
