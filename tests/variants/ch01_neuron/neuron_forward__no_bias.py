# task: neuron_forward
# expect: less
def neuron_forward(X, w, b, activation):
    return activation(X @ w)
