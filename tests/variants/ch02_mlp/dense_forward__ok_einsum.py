# task: dense_forward
# expect: full
def dense_forward(X, W, b):
    return np.einsum("nd,dm->nm", X, W) + b[None, :]
