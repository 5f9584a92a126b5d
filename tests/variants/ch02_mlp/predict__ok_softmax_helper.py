# task: predict
# expect: full
# A helper in the same cell (under its own name) and an unnecessary softmax: same argmax.
def _logits(X, params):
    H = X
    for W, b in params[:-1]:
        H = np.maximum(0, H @ W + b)
    W, b = params[-1]
    return H @ W + b


def predict(X, params):
    Z = _logits(X, params)
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    return P.argmax(axis=-1)
