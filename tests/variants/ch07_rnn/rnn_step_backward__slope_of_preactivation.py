# task: rnn_step_backward
# expect: less
# Takes tanh's slope at the pre-activation (1 - a**2) instead of at the output (1 - h**2).
def rnn_step_backward(dh, x, h_prev, Wx, Wh, b):
    a = x @ Wx + h_prev @ Wh + b
    da = dh * (1 - a ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
