# task: mlp_forward
# expect: less
# Hard-codes a network with exactly two layers.
def mlp_forward(X, params):
    (W1, b1), (W2, b2) = params[0], params[1]
    H = np.maximum(X @ W1 + b1, 0.0)
    return H @ W2 + b2
