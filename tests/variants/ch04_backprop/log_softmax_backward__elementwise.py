# task: log_softmax_backward
# expect: less
# Multiplies softmax(Z) by dout entry by entry instead of by the sum of each row of dout.
def log_softmax_backward(dout, Z):
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    P = E / E.sum(axis=-1, keepdims=True)
    return dout - P * dout
