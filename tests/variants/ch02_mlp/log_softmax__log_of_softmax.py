# task: log_softmax
# expect: less
# The log of a (stable) softmax: probabilities that round to 0 give log(0) = -inf.
def log_softmax(Z):
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return np.log(E / E.sum(axis=-1, keepdims=True))
