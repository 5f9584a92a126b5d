# task: dense_forward
# expect: less
# Uses PyTorch's (M, D) weight layout: an error unless D == M, then wrong values.
def dense_forward(X, W, b):
    return X @ W.T + b
