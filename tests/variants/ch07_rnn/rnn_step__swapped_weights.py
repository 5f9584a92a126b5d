# task: rnn_step
# expect: less
# Multiplies x by Wh and h_prev by Wx; only runs when D == H, where the shapes cannot tell.
def rnn_step(x, h_prev, Wx, Wh, b):
    return np.tanh(x @ Wh + h_prev @ Wx + b)
