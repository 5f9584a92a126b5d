# task: logistic_regression_grad
# expect: full
# Softplus as max(z, 0) + log1p(exp(-|z|)); sigmoid piecewise with exp(-|z|) <= 1.
def logistic_regression_grad(X, y, w, b):
    z = X.dot(w) + b
    e = np.exp(-np.abs(z))
    loss = np.mean(np.maximum(z, 0.0) + np.log1p(e) - y * z)
    p = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    r = p - y
    return loss.item(), np.mean(X * r[:, None], axis=0), np.mean(r)
