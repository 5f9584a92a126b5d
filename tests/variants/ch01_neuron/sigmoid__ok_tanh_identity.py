# task: sigmoid
# expect: full
# A different correct formula: sigmoid(z) = (1 + tanh(z / 2)) / 2, stable everywhere.
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(np.asarray(z, dtype=np.float64) / 2.0))
