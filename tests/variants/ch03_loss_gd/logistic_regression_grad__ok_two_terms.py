# task: logistic_regression_grad
# expect: full
# The two-term form -y log(sigma(z)) - (1-y) log(sigma(-z)), each term as a stable softplus.
def logistic_regression_grad(X, y, w, b):
    z = X @ w + b
    N = X.shape[0]
    loss = np.sum(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)) / N
    p = np.exp(-np.logaddexp(0.0, -z))          # sigma(z) = exp(-softplus(-z))
    dw = np.zeros(X.shape[1])
    for n in range(N):
        dw += (p[n] - y[n]) * X[n]
    return float(loss), dw / N, float(np.sum(p - y) / N)
