# task: gru_step
# expect: less
# Takes the gate blocks in the order z, r, n instead of PyTorch's r, z, n.
def gru_step(x, h_prev, Wx, Wh, bx, bh):
    sig = lambda a: 0.5 * (1 + np.tanh(0.5 * a))
    H = h_prev.shape[1]
    ax, ah = x @ Wx + bx, h_prev @ Wh + bh
    z = sig(ax[:, :H] + ah[:, :H])
    r = sig(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    return (1 - z) * n + z * h_prev
