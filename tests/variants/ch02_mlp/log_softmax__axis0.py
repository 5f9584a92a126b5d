# task: log_softmax
# expect: less
# Normalised along the first axis instead of the last.
def log_softmax(Z):
    S = Z - Z.max(axis=0, keepdims=True)
    return S - np.log(np.exp(S).sum(axis=0, keepdims=True))
