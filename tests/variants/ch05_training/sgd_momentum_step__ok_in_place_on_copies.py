# task: sgd_momentum_step
# expect: full
# A different correct formulation: in-place updates, but on copies, so the inputs stay unchanged.
def sgd_momentum_step(w, g, buf, lr, momentum):
    new_buf = np.array(buf, dtype=np.float64)
    new_buf *= momentum
    new_buf += g
    new_w = np.array(w, dtype=np.float64)
    new_w -= lr * new_buf
    return new_w, new_buf
