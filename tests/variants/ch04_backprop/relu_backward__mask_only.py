# task: relu_backward
# expect: less
# Returns the local derivative, forgetting to multiply by dout.
def relu_backward(dout, Z):
    return (Z > 0).astype(np.float64)
