# task: numerical_gradient
# expect: less
# Returns a flat (x.size,) array instead of one shaped like x.
def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.size)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + eps
        fp = f(x)
        x.flat[i] = old - eps
        fm = f(x)
        x.flat[i] = old
        grad[i] = (fp - fm) / (2 * eps)
    return grad
