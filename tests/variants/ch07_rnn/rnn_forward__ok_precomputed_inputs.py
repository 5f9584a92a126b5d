# task: rnn_forward
# expect: full
# Projects every input at once (one big product), then runs only the recurrence in the loop.
def rnn_forward(X, h0, Wx, Wh, b):
    XW = X @ Wx + b                                 # (N, T, H)
    hs = np.empty_like(XW)
    h = h0
    for t in range(X.shape[1]):
        h = np.tanh(XW[:, t] + h @ Wh)
        hs[:, t] = h
    return hs
