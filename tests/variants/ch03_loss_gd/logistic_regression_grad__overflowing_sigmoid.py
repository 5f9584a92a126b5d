# task: logistic_regression_grad
# expect: less
# Stable loss, but the sigmoid 1 / (1 + exp(-z)) overflows (with a warning) for z << 0.
def logistic_regression_grad(X, y, w, b):
    z = X @ w + b
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    p = 1.0 / (1.0 + np.exp(-z))
    dz = (p - y) / len(y)
    return float(loss), X.T @ dz, float(dz.sum())
