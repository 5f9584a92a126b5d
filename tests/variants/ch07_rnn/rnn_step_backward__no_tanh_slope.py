# task: rnn_step_backward
# expect: less
# Forgets the tanh: uses dh as the gradient of the pre-activation.
def rnn_step_backward(dh, x, h_prev, Wx, Wh, b):
    da = dh
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
