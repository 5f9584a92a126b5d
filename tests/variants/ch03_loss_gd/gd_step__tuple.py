# task: gd_step
# expect: less
# Returns a tuple, not a list.
def gd_step(params, grads, lr):
    return tuple(p - lr * g for p, g in zip(params, grads))
