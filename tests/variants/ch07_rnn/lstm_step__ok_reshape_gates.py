# task: lstm_step
# expect: full
# Reshapes the pre-activations to (N, 4, H), then a naive sigmoid (it may warn for huge
# pre-activations, but its values are right).
def lstm_step(x, h_prev, c_prev, Wx, Wh, b):
    N, H = h_prev.shape
    a = (x @ Wx + h_prev @ Wh + b).reshape(N, 4, H)
    with np.errstate(over="ignore"):
        i, f, o = (1.0 / (1.0 + np.exp(-a[:, k])) for k in (0, 1, 3))
    g = np.tanh(a[:, 2])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c
