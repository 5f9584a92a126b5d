# task: rnn_step
# expect: less
# Uses ReLU, the activation of the earlier chapters, instead of tanh.
def rnn_step(x, h_prev, Wx, Wh, b):
    return np.maximum(x @ Wx + h_prev @ Wh + b, 0.0)
