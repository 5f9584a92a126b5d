# task: predict
# expect: full
# One sample at a time, class indices as a list turned into an int array.
def predict(X, params):
    out = []
    for x in X:
        h = x
        for k, (W, b) in enumerate(params):
            h = h @ W + b
            if k < len(params) - 1:
                h = np.maximum(h, 0.0)
        out.append(int(np.argmax(h)))
    return np.array(out, dtype=np.int64)
