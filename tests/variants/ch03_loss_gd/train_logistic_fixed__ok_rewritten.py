# task: train_logistic_fixed
# expect: full
# Rewritten: new arrays at every step, a piecewise stable sigmoid and loss; losses kept as a list, b a NumPy scalar.
def train_logistic_fixed(X, y, w0, b0, lr, batch_size, epochs, rng):
    def sigmoid(z):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    w, b = np.array(w0, dtype=np.float64), np.float64(b0)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(X.shape[0])
        for idx in np.array_split(order, np.arange(batch_size, len(order), batch_size)):
            err = sigmoid(X[idx] @ w + b) - y[idx]
            w = w - lr * np.mean(X[idx] * err[:, None], axis=0)
            b = b - lr * np.mean(err)
        z = X @ w + b
        losses.append(float(np.mean(np.where(y == 1, np.logaddexp(0.0, -z), np.logaddexp(0.0, z)))))
    return w, b, losses
