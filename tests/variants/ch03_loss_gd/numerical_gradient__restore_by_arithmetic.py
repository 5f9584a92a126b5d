# task: numerical_gradient
# expect: less
# "Restores" x[i] by adding eps back: (a + eps - 2 eps) + eps is not always exactly a.
def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        x.flat[i] += eps
        fp = f(x)
        x.flat[i] -= 2 * eps
        fm = f(x)
        x.flat[i] += eps
        grad.flat[i] = (fp - fm) / (2 * eps)
    return grad
