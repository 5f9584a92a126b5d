# task: rnn_forward
# expect: less
# Never carries the state: every step starts again from h0.
def rnn_forward(X, h0, Wx, Wh, b):
    N, T, _ = X.shape
    hs = np.zeros((N, T, h0.shape[1]))
    for t in range(T):
        hs[:, t] = np.tanh(X[:, t] @ Wx + h0 @ Wh + b)
    return hs
