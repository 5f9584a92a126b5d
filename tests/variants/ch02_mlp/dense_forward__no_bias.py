# task: dense_forward
# expect: less
def dense_forward(X, W, b):
    return X @ W
