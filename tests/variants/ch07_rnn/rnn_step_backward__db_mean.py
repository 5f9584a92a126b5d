# task: rnn_step_backward
# expect: less
# Averages db over the batch instead of summing (the weight gradients are sums).
def rnn_step_backward(dh, x, h_prev, Wx, Wh, b):
    h = np.tanh(x @ Wx + h_prev @ Wh + b)
    da = dh * (1 - h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.mean(axis=0)
