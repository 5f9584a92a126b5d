# task: dense_forward
# expect: less
# Casts to single precision.
def dense_forward(X, W, b):
    return (X @ W + b).astype(np.float32)
