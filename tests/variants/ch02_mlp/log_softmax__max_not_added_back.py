# task: log_softmax
# expect: less
# The maximum is subtracted inside the log-sum-exp but not from Z: every entry is off by the row maximum.
def log_softmax(Z):
    m = Z.max(axis=-1, keepdims=True)
    return Z - np.log(np.exp(Z - m).sum(axis=-1, keepdims=True))
