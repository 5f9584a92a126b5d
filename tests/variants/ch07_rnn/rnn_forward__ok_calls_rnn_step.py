# task: rnn_forward
# expect: full
# Calls the rnn_step of the earlier cell, and stacks a list of states along axis 1.
def rnn_forward(X, h0, Wx, Wh, b):
    h, hs = h0, []
    for t in range(X.shape[1]):
        h = rnn_step(X[:, t], h, Wx, Wh, b)
        hs.append(h)
    return np.stack(hs, axis=1)
