# task: signed_distance
# expect: less
# The raw score: not divided by the length of w.
def signed_distance(X, w, b):
    if not np.any(w):
        raise ValueError("w is all zeros")
    return X @ w + b
