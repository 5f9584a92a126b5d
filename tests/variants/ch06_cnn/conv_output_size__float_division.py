# task: conv_output_size
# expect: less
# True division: a float, and a fraction of a window when the stride does not divide.
def conv_output_size(n, k, stride=1, padding=0):
    return (n + 2 * padding - k) / stride + 1
