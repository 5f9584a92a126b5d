# task: gd_step
# expect: less
# New arrays, but stored into the caller's list.
def gd_step(params, grads, lr):
    for i in range(len(params)):
        params[i] = params[i] - lr * grads[i]
    return params
