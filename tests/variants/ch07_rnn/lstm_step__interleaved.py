# task: lstm_step
# expect: less
# Reshapes the pre-activations to (N, H, 4): takes every fourth column as a gate.
def lstm_step(x, h_prev, c_prev, Wx, Wh, b):
    sig = lambda z: 0.5 * (1 + np.tanh(0.5 * z))
    N, H = h_prev.shape
    a = (x @ Wx + h_prev @ Wh + b).reshape(N, H, 4)
    i, f, g, o = sig(a[..., 0]), sig(a[..., 1]), np.tanh(a[..., 2]), sig(a[..., 3])
    c = f * c_prev + i * g
    return o * np.tanh(c), c
