# task: log_softmax
# expect: less
# The maximum of the whole array, not of each row: rows far below it underflow to log(0).
def log_softmax(Z):
    S = Z - Z.max()
    return S - np.log(np.exp(S).sum(axis=-1, keepdims=True))
