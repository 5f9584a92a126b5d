# task: conv_output_size
# expect: full
# NumPy integer arithmetic: returns a NumPy integer, which is an integer too.
def conv_output_size(n, k, stride=1, padding=0):
    return np.floor_divide(np.int64(n) + 2 * padding - k, stride) + 1
