# task: gru_step
# expect: less
# The reset gate scales h_prev before the product ((r * h_prev) @ Wh_n + bh_n), the original paper's form, not PyTorch's.
def gru_step(x, h_prev, Wx, Wh, bx, bh):
    sig = lambda a: 0.5 * (1 + np.tanh(0.5 * a))
    H = h_prev.shape[1]
    ax, ah = x @ Wx + bx, h_prev @ Wh + bh
    r = sig(ax[:, :H] + ah[:, :H])
    z = sig(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = np.tanh(ax[:, 2 * H:] + (r * h_prev) @ Wh[:, 2 * H:] + bh[2 * H:])
    return (1 - z) * n + z * h_prev
