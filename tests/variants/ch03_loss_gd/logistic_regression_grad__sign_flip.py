# task: logistic_regression_grad
# expect: less
# y - p instead of p - y.
def logistic_regression_grad(X, y, w, b):
    z = X @ w + b
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    p = 0.5 * (1.0 + np.tanh(0.5 * z))
    dz = (y - p) / len(y)
    return float(loss), X.T @ dz, float(dz.sum())
