# task: predict
# expect: less
# A ReLU on the logits: when all of a sample's logits are negative, the argmax is always 0.
def predict(X, params):
    H = X
    for W, b in params:
        H = np.maximum(H @ W + b, 0.0)
    return H.argmax(axis=1)
