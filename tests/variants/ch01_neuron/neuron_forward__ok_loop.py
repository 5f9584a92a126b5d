# task: neuron_forward
# expect: full
# One sample at a time: slower, equally correct.
def neuron_forward(X, w, b, activation):
    out = np.empty(X.shape[0])
    for i in range(X.shape[0]):
        out[i] = activation(np.array([np.dot(X[i], w) + b]))[0]
    return out
