# task: log_softmax_backward
# expect: less
# Works along axis 0 (the batch) instead of the last axis.
def log_softmax_backward(dout, Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    P = E / E.sum(axis=0, keepdims=True)
    return dout - P * dout.sum(axis=0, keepdims=True)
