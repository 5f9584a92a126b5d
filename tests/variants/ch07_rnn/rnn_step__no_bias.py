# task: rnn_step
# expect: less
# Leaves out the bias.
def rnn_step(x, h_prev, Wx, Wh, b):
    return np.tanh(x @ Wx + h_prev @ Wh)
