# task: sigmoid
# expect: full
# Clipping the argument keeps exp finite; the error is far below the tolerance.
def sigmoid(z):
    z = np.clip(np.asarray(z, dtype=np.float64), -700.0, 700.0)
    return 1.0 / (1.0 + np.exp(-z))
