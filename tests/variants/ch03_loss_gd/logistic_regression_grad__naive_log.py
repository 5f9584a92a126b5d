# task: logistic_regression_grad
# expect: less
# The textbook formula with log(sigmoid): log(0) for confident mistakes.
def logistic_regression_grad(X, y, w, b):
    z = X @ w + b
    p = 1.0 / (1.0 + np.exp(-z))
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    dz = (p - y) / len(y)
    return float(loss), X.T @ dz, float(dz.sum())
