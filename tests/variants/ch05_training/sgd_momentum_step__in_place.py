# task: sgd_momentum_step
# expect: less
# Right values, but updates the caller's w and buf in place.
def sgd_momentum_step(w, g, buf, lr, momentum):
    buf *= momentum
    buf += g
    w -= lr * buf
    return w, buf
