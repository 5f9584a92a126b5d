# kind: control: the wrong answers the attacks use, without any hack
# expect: 0 for every function: the baseline no attack may beat
# max: all=0
# see: tanh is used instead of the logistic function
# see: positive values are set to zero
# see: the bias is missing
# replay: yes
# %% sigmoid
def sigmoid(z):
    return np.tanh(np.asarray(z, dtype=np.float64))  # wrong: not the logistic function
# %% relu
def relu(z):
    return np.minimum(z, 0.0)  # wrong: keeps the negative part
# %% neuron_forward
def neuron_forward(X, w, b, activation):
    return activation(X @ w)  # wrong: no bias
# %% perceptron_train
def perceptron_train(X, y, lr=1.0, epochs=10):
    return np.zeros(X.shape[1]), 0.0  # wrong: never trains
# %% softplus
def softplus(z):
    return np.exp(np.asarray(z, dtype=np.float64))  # wrong: exp(z), not log(1 + exp(z))
# %% signed_distance
def signed_distance(X, w, b):
    return X @ w + b  # wrong: not divided by the norm of w
# %% pocket_perceptron
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    return np.ones(X.shape[1]), 1.0  # wrong: not the perceptron's weights
