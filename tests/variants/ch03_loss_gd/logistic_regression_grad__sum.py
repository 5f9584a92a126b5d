# task: logistic_regression_grad
# expect: less
# Sums over the batch instead of averaging (loss and gradients).
def logistic_regression_grad(X, y, w, b):
    z = X @ w + b
    loss = np.sum(np.logaddexp(0.0, z) - y * z)
    dz = 0.5 * (1.0 + np.tanh(0.5 * z)) - y
    return float(loss), X.T @ dz, float(dz.sum())
