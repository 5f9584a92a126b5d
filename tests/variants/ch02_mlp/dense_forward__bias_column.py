# task: dense_forward
# expect: less
# Stores the bias as a column (M, 1): an error for most shapes, silently wrong when N == M.
def dense_forward(X, W, b):
    return X @ W + b.reshape(-1, 1)
