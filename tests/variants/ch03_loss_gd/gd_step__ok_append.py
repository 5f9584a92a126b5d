# task: gd_step
# expect: full
# An explicit loop with np.subtract (a NumPy scalar for a float parameter).
def gd_step(params, grads, lr):
    new = []
    for i in range(len(params)):
        new.append(np.subtract(params[i], np.multiply(lr, grads[i])))
    return new
