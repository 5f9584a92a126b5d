# task: receptive_field
# expect: less
# Walks the layers from the output to the input: the product runs over the later layers' strides.
def receptive_field(layers):
    side, jump = 1, 1
    for k, s in reversed(layers):
        side += (k - 1) * jump
        jump *= s
    return side
