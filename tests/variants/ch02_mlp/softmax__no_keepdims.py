# task: softmax
# expect: less
# The row sums lose their axis: (N, C) / (N,) divides along the wrong axis (or fails).
def softmax(Z):
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1)
