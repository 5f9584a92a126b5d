# task: log_softmax_backward
# expect: less
# Sums dout over every entry (one number for the whole array) instead of along the last axis.
def log_softmax_backward(dout, Z):
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    P = E / E.sum(axis=-1, keepdims=True)
    return dout - P * dout.sum()
