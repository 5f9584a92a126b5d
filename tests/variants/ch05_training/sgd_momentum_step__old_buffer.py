# task: sgd_momentum_step
# expect: less
# Steps along the buffer of the previous step, then updates it.
def sgd_momentum_step(w, g, buf, lr, momentum):
    w_new = w - lr * buf
    return w_new, momentum * buf + g
