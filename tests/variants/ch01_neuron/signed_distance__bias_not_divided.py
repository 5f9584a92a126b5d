# task: signed_distance
# expect: less
# Only X @ w is divided by ||w||; the bias is added afterwards.
def signed_distance(X, w, b):
    if not np.any(w):
        raise ValueError("w is all zeros")
    return X @ w / np.linalg.norm(w) + b
