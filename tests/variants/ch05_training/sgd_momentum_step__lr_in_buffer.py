# task: sgd_momentum_step
# expect: less
# The "velocity" formulation v = mu v + lr g, w -= v: the same method for a constant lr,
# but the buffer it returns is not PyTorch's momentum_buffer (it holds steps, not gradients).
def sgd_momentum_step(w, g, buf, lr, momentum):
    buf = momentum * buf + lr * g
    return w - buf, buf
