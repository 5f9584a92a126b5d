# task: mlp_forward
# expect: full
def mlp_forward(X, params):
    H = X.copy()
    for i, (W, b) in enumerate(params):
        H = np.dot(H, W) + b
        if i < len(params) - 1:
            H *= H > 0
    return H
