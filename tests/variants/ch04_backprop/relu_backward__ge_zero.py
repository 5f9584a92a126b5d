# task: relu_backward
# expect: less
# Lets the gradient through where Z == 0.
def relu_backward(dout, Z):
    return dout * (Z >= 0)
