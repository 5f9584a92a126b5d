# task: gru_step
# expect: less
# The update gate weighs the wrong term: h = z * n + (1 - z) * h_prev.
def gru_step(x, h_prev, Wx, Wh, bx, bh):
    sig = lambda a: 0.5 * (1 + np.tanh(0.5 * a))
    H = h_prev.shape[1]
    ax, ah = x @ Wx + bx, h_prev @ Wh + bh
    r = sig(ax[:, :H] + ah[:, :H])
    z = sig(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    return z * n + (1 - z) * h_prev
