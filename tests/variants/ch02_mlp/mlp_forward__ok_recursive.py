# task: mlp_forward
# expect: full
def mlp_forward(X, params):
    (W, b), rest = params[0], params[1:]
    Z = X @ W + b
    if not rest:
        return Z
    return mlp_forward(np.where(Z > 0, Z, 0.0), rest)
