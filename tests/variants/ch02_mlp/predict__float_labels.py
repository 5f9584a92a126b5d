# task: predict
# expect: less
# Class indices as floats.
def predict(X, params):
    H = X
    for W, b in params[:-1]:
        H = np.maximum(H @ W + b, 0.0)
    W, b = params[-1]
    return np.argmax(H @ W + b, axis=1).astype(np.float64)
