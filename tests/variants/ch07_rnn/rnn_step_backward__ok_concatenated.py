# task: rnn_step_backward
# expect: full
# One dense layer on [x, h_prev] with W = [Wx; Wh], slope 1/cosh(a)**2, results as a list, einsum for the weights.
def rnn_step_backward(dh, x, h_prev, Wx, Wh, b):
    D = x.shape[1]
    xh = np.concatenate([x, h_prev], axis=1)
    W = np.concatenate([Wx, Wh], axis=0)
    da = dh / np.cosh(xh @ W + b) ** 2
    dxh = da @ W.T
    dW = np.einsum("nk,nh->kh", xh, da)
    return [dxh[:, :D], dxh[:, D:], dW[:D], dW[D:], np.einsum("nh->h", da)]
