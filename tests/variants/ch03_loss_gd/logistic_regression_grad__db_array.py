# task: logistic_regression_grad
# expect: less
# db kept as a (1,) array instead of a float.
def logistic_regression_grad(X, y, w, b):
    z = X @ w + b
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    dz = (0.5 * (1.0 + np.tanh(0.5 * z)) - y) / len(y)
    return float(loss), X.T @ dz, np.sum(dz, axis=0, keepdims=True)
