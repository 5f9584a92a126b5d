# task: signed_distance
# expect: less
# Divided by ||w||**2 (w . w) instead of ||w||.
def signed_distance(X, w, b):
    if not np.any(w):
        raise ValueError("w is all zeros")
    return (X @ w + b) / (w @ w)
