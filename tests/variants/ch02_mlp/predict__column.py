# task: predict
# expect: less
# Returns a column (N, 1) instead of (N,).
def predict(X, params):
    H = X
    for W, b in params[:-1]:
        H = np.maximum(H @ W + b, 0.0)
    W, b = params[-1]
    return np.argmax(H @ W + b, axis=1).reshape(-1, 1)
