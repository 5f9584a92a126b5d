# kind: wrong types: the right sigmoid values in float32, relu as an object array, neuron_forward as a string, perceptron_train as a dict
# expect: 0 for the four: only float64 arrays (and, for b, a float) are accepted
# max: sigmoid=0 relu=0 neuron_forward=0 perceptron_train=0
# see: wrong dtype: got float32, expected float64
# see: got an object of type ndarray of dtype object
# see: got a str
# see: got an object of type builtins.dict
# replay: yes
# %% sigmoid
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(np.float32)
# %% relu
def relu(z):
    return np.array(np.maximum(z, 0.0), dtype=object)
# %% neuron_forward
def neuron_forward(X, w, b, activation):
    return str(activation(X @ w + b).tolist())
# %% perceptron_train
def perceptron_train(X, y, lr=1.0, epochs=10):
    return {"w": np.zeros(X.shape[1]), "b": 0.0}
