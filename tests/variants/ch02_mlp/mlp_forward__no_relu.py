# task: mlp_forward
# expect: less
def mlp_forward(X, params):
    H = X
    for W, b in params:
        H = H @ W + b
    return H
