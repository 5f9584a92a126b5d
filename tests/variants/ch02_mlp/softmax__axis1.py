# task: softmax
# expect: less
# axis=1 is the last axis only for 2-d arrays.
def softmax(Z):
    Z = np.atleast_2d(Z)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
