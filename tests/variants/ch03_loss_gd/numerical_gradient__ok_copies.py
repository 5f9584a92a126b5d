# task: numerical_gradient
# expect: full
# Never touches x: perturbs fresh copies, indexed with np.ndindex.
def numerical_gradient(f, x, eps=1e-5):
    grad = np.empty_like(x, dtype=np.float64)
    for idx in np.ndindex(*x.shape):
        step = np.zeros_like(x, dtype=np.float64)
        step[idx] = eps
        grad[idx] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad
