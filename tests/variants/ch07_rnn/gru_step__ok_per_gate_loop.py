# task: gru_step
# expect: full
# Splits the weights into per-gate blocks first, a sigmoid through exp on clipped input, and h_prev + (1 - z) * (n - h_prev).
def gru_step(x, h_prev, Wx, Wh, bx, bh):
    def sigmoid(a):
        return 1.0 / (1.0 + np.exp(-np.clip(a, -500, 500)))

    Wxr, Wxz, Wxn = np.split(Wx, 3, axis=1)
    Whr, Whz, Whn = np.split(Wh, 3, axis=1)
    bxr, bxz, bxn = np.split(bx, 3)
    bhr, bhz, bhn = np.split(bh, 3)
    r = sigmoid(x @ Wxr + bxr + h_prev @ Whr + bhr)
    z = sigmoid(x @ Wxz + bxz + h_prev @ Whz + bhz)
    n = np.tanh(x @ Wxn + bxn + r * (h_prev @ Whn + bhn))
    return h_prev + (1 - z) * (n - h_prev)
