# task: numerical_gradient
# expect: less
# A fixed step h = 1e-5, whatever eps is given.
def numerical_gradient(f, x, eps=1e-5):
    h = 1e-5
    grad = np.zeros(x.shape)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        fp = f(x)
        x.flat[i] = old - h
        fm = f(x)
        x.flat[i] = old
        grad.flat[i] = (fp - fm) / (2 * h)
    return grad
