# task: log_softmax_backward
# expect: less
# dout.sum(axis=-1) without keepdims: it broadcasts along the wrong axis (or fails to broadcast).
def log_softmax_backward(dout, Z):
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    P = E / E.sum(axis=-1, keepdims=True)
    return dout - P * dout.sum(axis=-1)
