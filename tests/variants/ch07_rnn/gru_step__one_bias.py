# task: gru_step
# expect: less
# Adds both biases before the reset gate multiplies, so bh_n is not scaled by r.
def gru_step(x, h_prev, Wx, Wh, bx, bh):
    sig = lambda a: 0.5 * (1 + np.tanh(0.5 * a))
    H = h_prev.shape[1]
    b = bx + bh
    ax, ah = x @ Wx + b, h_prev @ Wh
    r = sig(ax[:, :H] + ah[:, :H])
    z = sig(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    return (1 - z) * n + z * h_prev
