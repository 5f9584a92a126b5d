# task: relu_backward
# expect: less
# The mask the wrong way round.
def relu_backward(dout, Z):
    return dout * (Z < 0)
