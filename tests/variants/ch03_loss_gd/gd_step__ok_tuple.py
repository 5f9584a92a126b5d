# task: gd_step
# expect: full
# Returns a tuple: the same values in a sequence, judged as values (w, b = gd_step(...) works alike).
def gd_step(params, grads, lr):
    return tuple(p - lr * g for p, g in zip(params, grads))
