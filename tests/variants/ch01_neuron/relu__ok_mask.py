# task: relu
# expect: full
# Multiplying by a boolean mask is another correct relu.
def relu(z):
    return z * (z > 0)
