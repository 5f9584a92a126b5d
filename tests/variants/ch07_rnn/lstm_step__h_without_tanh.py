# task: lstm_step
# expect: less
# Forgets the tanh on the cell: h = o * c.
def lstm_step(x, h_prev, c_prev, Wx, Wh, b):
    sig = lambda z: 0.5 * (1 + np.tanh(0.5 * z))
    ai, af, ag, ao = np.split(x @ Wx + h_prev @ Wh + b, 4, axis=1)
    c = sig(af) * c_prev + sig(ai) * np.tanh(ag)
    return sig(ao) * c, c
