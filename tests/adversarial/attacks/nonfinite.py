# kind: non-finite outputs: sigmoid returns nan everywhere, relu inf, neuron_forward -inf
# expect: 0 for the three
# max: sigmoid=0 relu=0 neuron_forward=0
# see: entries are nan or inf
# replay: yes
# %% sigmoid
def sigmoid(z):
    return np.full(np.shape(z), np.nan)
# %% relu
def relu(z):
    return np.full(np.shape(z), np.inf)
# %% neuron_forward
def neuron_forward(X, w, b, activation):
    return np.full(X.shape[0], -np.inf)
