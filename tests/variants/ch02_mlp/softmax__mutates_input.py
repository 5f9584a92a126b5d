# task: softmax
# expect: less
# Right values, but shifts the caller's logits in place.
def softmax(Z):
    Z -= Z.max(axis=-1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=-1, keepdims=True)
