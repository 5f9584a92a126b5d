# task: receptive_field
# expect: less
# Ignores the strides: 1 + sum of (k - 1), right only for stacks of stride-1 layers.
def receptive_field(layers):
    return 1 + sum(k - 1 for k, _ in layers)
