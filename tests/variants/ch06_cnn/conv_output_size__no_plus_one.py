# task: conv_output_size
# expect: less
# Counts the steps between the first and the last window, not the windows.
def conv_output_size(n, k, stride=1, padding=0):
    return (n + 2 * padding - k) // stride
