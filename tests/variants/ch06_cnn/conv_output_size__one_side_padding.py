# task: conv_output_size
# expect: less
# Pads only one end of the side.
def conv_output_size(n, k, stride=1, padding=0):
    return (n + padding - k) // stride + 1
