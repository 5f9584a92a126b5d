# task: signed_distance
# expect: less
# No check for w = 0: it divides by zero and returns inf or nan instead of raising.
def signed_distance(X, w, b):
    return (X @ w + b) / np.linalg.norm(w)
