# task: rnn_step
# expect: full
# A dense layer on the concatenation [x, h_prev] with the stacked weights [[Wx], [Wh]].
def rnn_step(x, h_prev, Wx, Wh, b):
    xh = np.concatenate([x, h_prev], axis=1)        # (N, D + H)
    W = np.concatenate([Wx, Wh], axis=0)            # (D + H, H)
    return np.tanh(xh @ W + b)
