# task: rnn_forward
# expect: less
# Records the state before each step, so h0 comes first and the last state is lost.
def rnn_forward(X, h0, Wx, Wh, b):
    N, T, _ = X.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        hs[:, t] = h
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
    return hs
