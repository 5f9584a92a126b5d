# task: lstm_step
# expect: less
# Takes the gate blocks in the order i, f, o, g (the order of some papers, not PyTorch's).
def lstm_step(x, h_prev, c_prev, Wx, Wh, b):
    sig = lambda z: 0.5 * (1 + np.tanh(0.5 * z))
    a = x @ Wx + h_prev @ Wh + b
    ai, af, ao, ag = np.split(a, 4, axis=1)
    c = sig(af) * c_prev + sig(ai) * np.tanh(ag)
    return sig(ao) * np.tanh(c), c
