# task: gd_step
# expect: less
# Updates the caller's arrays in place and returns them.
def gd_step(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g
    return params
