# task: rnn_forward
# expect: less
# Stacks the states along axis 0: (T, N, H), PyTorch's default layout, not batch-first.
def rnn_forward(X, h0, Wx, Wh, b):
    h, hs = h0, []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
        hs.append(h)
    return np.stack(hs)
