# task: log_softmax_backward
# expect: less
# No max shift before exp: overflows (nan and a warning) for large Z.
def log_softmax_backward(dout, Z):
    E = np.exp(Z)
    P = E / E.sum(axis=-1, keepdims=True)
    return dout - P * dout.sum(axis=-1, keepdims=True)
