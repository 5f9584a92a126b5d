# task: receptive_field
# expect: full
# From the output back to the input (r -> s * (r - 1) + k), in floats: 10.0 is judged as 10.
def receptive_field(layers):
    r = 1.0
    for k, s in reversed(list(layers)):
        r = s * (r - 1.0) + k
    return r
