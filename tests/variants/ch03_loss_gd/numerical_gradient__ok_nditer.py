# task: numerical_gradient
# expect: full
# The CS231n-style loop with np.nditer and multi-indices, restoring the saved value.
def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + eps
        fp = f(x)
        x[ix] = old - eps
        fm = f(x)
        x[ix] = old
        grad[ix] = (fp - fm) / (2 * eps)
        it.iternext()
    return grad
