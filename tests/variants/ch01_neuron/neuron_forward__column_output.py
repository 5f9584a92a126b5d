# task: neuron_forward
# expect: less
# Returns (N, 1) instead of (N,).
def neuron_forward(X, w, b, activation):
    return activation(X @ w.reshape(-1, 1) + b)
