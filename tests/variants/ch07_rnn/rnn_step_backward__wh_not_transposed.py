# task: rnn_step_backward
# expect: less
# Sends the gradient to h_prev through Wh instead of Wh.T (shapes agree: Wh is square).
def rnn_step_backward(dh, x, h_prev, Wx, Wh, b):
    h = np.tanh(x @ Wx + h_prev @ Wh + b)
    da = dh * (1 - h ** 2)
    return da @ Wx.T, da @ Wh, x.T @ da, h_prev.T @ da, da.sum(axis=0)
