# task: mlp_forward
# expect: less
# Returns probabilities instead of logits.
def mlp_forward(X, params):
    H = X
    for W, b in params[:-1]:
        H = np.maximum(H @ W + b, 0.0)
    W, b = params[-1]
    Z = H @ W + b
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
