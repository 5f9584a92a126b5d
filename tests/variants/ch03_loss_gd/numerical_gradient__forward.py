# task: numerical_gradient
# expect: less
# Forward differences: error proportional to eps.
def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.shape)
    fx = f(x)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + eps
        grad.flat[i] = (f(x) - fx) / eps
        x.flat[i] = old
    return grad
