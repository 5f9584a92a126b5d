# task: lstm_step
# expect: full
# Four separate products, one per gate, with a piecewise stable sigmoid.
def lstm_step(x, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]

    def sigmoid(z):
        out = np.empty_like(z)
        pos = z >= 0
        out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
        e = np.exp(z[~pos])
        out[~pos] = e / (1.0 + e)
        return out

    def pre(k):
        cols = slice(k * H, (k + 1) * H)
        return x @ Wx[:, cols] + h_prev @ Wh[:, cols] + b[cols]

    i, f, g, o = sigmoid(pre(0)), sigmoid(pre(1)), np.tanh(pre(2)), sigmoid(pre(3))
    c = f * c_prev + i * g
    return o * np.tanh(c), c
