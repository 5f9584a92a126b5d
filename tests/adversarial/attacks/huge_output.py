# kind: huge outputs: an array over the 5 million element limit, a list of eight 1M-element arrays (64 MB), a list nested 1000 deep (cut at depth 8), and a 40 MB array of the wrong shape
# expect: 0 for the four, each call judged on its own (before the fixes: the 64 MB list garbled the channel and a 40 MB array made every call "time out")
# max: sigmoid=0 relu=0 neuron_forward=0 perceptron_train=0
# see: ndarray of dtype float64 and size 5000001
# see: list too large to send
# see: expected a NumPy array of shape \(\d+,\), got a list
# see: wrong shape: got \(5000000,\)
# never: took longer than its time limit
# never: interfered with the grader's channel
# %% sigmoid
def sigmoid(z):
    return np.zeros(5_000_001)
# %% relu
def relu(z):
    return [np.zeros(1_000_000)] * 8
# %% neuron_forward
def neuron_forward(X, w, b, activation):
    x = []
    for _ in range(1000):
        x = [x]
    return x
# %% perceptron_train
def perceptron_train(X, y, lr=1.0, epochs=10):
    return np.zeros(5_000_000), 0.0
