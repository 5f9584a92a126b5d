# task: adam_step
# expect: full
# The "efficient" form of Kingma and Ba's algorithm 1: both corrections folded into the step size,
# with eps scaled to match (eps_hat = eps * sqrt(1 - beta2**t)), so it equals PyTorch's update.
def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * np.square(g)
    c2 = np.sqrt(1 - beta2 ** t)
    step = lr * c2 / (1 - beta1 ** t)
    return w - step * m / (np.sqrt(v) + eps * c2), m, v
