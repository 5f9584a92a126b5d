# task: mlp_forward
# expect: less
# Applies the ReLU after the output layer too.
def mlp_forward(X, params):
    H = X
    for W, b in params:
        H = np.maximum(H @ W + b, 0.0)
    return H
