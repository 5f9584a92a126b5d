# task: gd_step
# expect: less
def gd_step(params, grads, lr):
    return [p - g for p, g in zip(params, grads)]
