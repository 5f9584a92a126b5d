# task: conv_output_size
# expect: less
# Forgets the padding: right only when padding = 0.
def conv_output_size(n, k, stride=1, padding=0):
    return (n - k) // stride + 1
