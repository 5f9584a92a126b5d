# task: rnn_forward
# expect: less
# Returns only the last state, as a sequence classifier would use.
def rnn_forward(X, h0, Wx, Wh, b):
    h = h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
    return h
