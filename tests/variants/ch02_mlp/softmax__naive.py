# task: softmax
# expect: less
# Straight from the formula: overflows for large logits.
def softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=-1, keepdims=True)
