# task: relu_backward
# expect: full
# Correct: the derivative of relu is the Heaviside step, with value 0 at 0.
def relu_backward(dout, Z):
    return dout * np.heaviside(Z, 0.0)
