# task: softmax
# expect: less
# Normalises along the first axis (over the batch) instead of the last.
def softmax(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)
