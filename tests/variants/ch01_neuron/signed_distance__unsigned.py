# task: signed_distance
# expect: less
# The absolute distance: the side of the hyperplane is lost.
def signed_distance(X, w, b):
    if not np.any(w):
        raise ValueError("w is all zeros")
    return np.abs(X @ w + b) / np.linalg.norm(w)
