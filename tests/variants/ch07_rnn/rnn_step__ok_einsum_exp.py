# task: rnn_step
# expect: full
# einsum for the products, and tanh written with exp (stable form, for any sign).
def rnn_step(x, h_prev, Wx, Wh, b):
    a = np.einsum("nd,dh->nh", x, Wx) + np.einsum("nk,kh->nh", h_prev, Wh) + b
    e = np.exp(-2.0 * np.abs(a))                    # <= 1, never overflows
    return np.sign(a) * (1.0 - e) / (1.0 + e)
