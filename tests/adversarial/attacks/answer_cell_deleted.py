# kind: a deleted answer cell (sigmoid), its function defined in the relu cell instead
# expect: sigmoid 0 with a message; the other functions full marks
# max: sigmoid=0
# see: the answer cell 'sigmoid' is missing
# tamper: delete sigmoid
# %% relu
def relu(z):
    return np.maximum(z, 0.0)


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
