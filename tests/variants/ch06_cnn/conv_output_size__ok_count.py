# task: conv_output_size
# expect: full
# Counts the window positions one by one: starts 0, s, 2s, ... while the window fits.
def conv_output_size(n, k, stride=1, padding=0):
    count, start = 0, 0
    while start + k <= n + 2 * padding:
        count += 1
        start += stride
    return count
