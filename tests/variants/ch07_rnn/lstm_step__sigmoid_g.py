# task: lstm_step
# expect: less
# Applies the sigmoid to all four blocks, the candidate g included.
def lstm_step(x, h_prev, c_prev, Wx, Wh, b):
    gates = 1.0 / (1.0 + np.exp(-(x @ Wx + h_prev @ Wh + b)))
    i, f, g, o = np.split(gates, 4, axis=1)
    c = f * c_prev + i * g
    return o * np.tanh(c), c
