# task: sigmoid
# expect: less
# Stable, but writes the result into its argument.
def sigmoid(z):
    e = np.exp(-np.abs(z))
    z[...] = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return z
