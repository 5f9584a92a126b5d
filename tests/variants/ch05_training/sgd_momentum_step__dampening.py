# task: sgd_momentum_step
# expect: less
# An exponential moving average of the gradients (dampening = momentum): not PyTorch's default.
def sgd_momentum_step(w, g, buf, lr, momentum):
    buf = momentum * buf + (1 - momentum) * g
    return w - lr * buf, buf
