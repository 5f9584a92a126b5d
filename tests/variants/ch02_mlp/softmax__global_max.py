# task: softmax
# expect: less
# Subtracts the maximum of the whole array: rows far below it underflow to 0 / 0.
def softmax(Z):
    E = np.exp(Z - np.max(Z))
    return E / E.sum(axis=-1, keepdims=True)
