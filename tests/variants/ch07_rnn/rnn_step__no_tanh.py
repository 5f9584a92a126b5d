# task: rnn_step
# expect: less
# Forgets the nonlinearity: returns the pre-activation.
def rnn_step(x, h_prev, Wx, Wh, b):
    return x @ Wx + h_prev @ Wh + b
