# task: predict
# expect: less
def predict(X, params):
    H = X
    for W, b in params:
        H = H @ W + b
    return np.argmax(H, axis=1)
