# task: logistic_regression_grad
# expect: less
# Forgets b in z.
def logistic_regression_grad(X, y, w, b):
    z = X @ w
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    dz = (0.5 * (1.0 + np.tanh(0.5 * z)) - y) / len(y)
    return float(loss), X.T @ dz, float(dz.sum())
