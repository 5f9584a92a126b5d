# task: sigmoid
# expect: less
# Works in float32: loses precision and the dtype the course asks for.
def sigmoid(z):
    z = np.asarray(z, dtype=np.float32)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
