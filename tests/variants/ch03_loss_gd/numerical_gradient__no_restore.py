# task: numerical_gradient
# expect: less
# Never puts the entry back: x[i] stays at x[i] - eps.
def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        x.flat[i] += eps
        fp = f(x)
        x.flat[i] -= 2 * eps
        fm = f(x)
        grad.flat[i] = (fp - fm) / (2 * eps)
    return grad
