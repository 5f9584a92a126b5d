# task: sigmoid
# expect: less
# The textbook formula: right values, but exp(-z) overflows (with a warning) for z << 0.
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))
