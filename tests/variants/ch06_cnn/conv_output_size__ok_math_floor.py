# task: conv_output_size
# expect: full
# math.floor of the true quotient, converted to int.
import math


def conv_output_size(n, k, stride=1, padding=0):
    return int(math.floor((n + 2 * padding - k) / stride)) + 1
