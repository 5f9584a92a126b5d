# task: mlp_forward
# expect: less
# Applies the ReLU to each layer's input (the data included) instead of to the hidden outputs.
def mlp_forward(X, params):
    H = X
    for W, b in params:
        H = np.maximum(H, 0.0) @ W + b
    return H
