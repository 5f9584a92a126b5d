# task: gd_step
# expect: less
# Steps up the gradient.
def gd_step(params, grads, lr):
    return [p + lr * g for p, g in zip(params, grads)]
