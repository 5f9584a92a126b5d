# task: train_logistic_fixed
# expect: less
# Planted bug 2 left: one permutation, drawn before the epoch loop, reused every epoch.
def train_logistic_fixed(X, y, w0, b0, lr, batch_size, epochs, rng):
    """Mini-batch SGD for logistic regression, starting from (w0, b0).

    Every epoch draws a fresh permutation rng.permutation(N), cuts it into consecutive batches
    of batch_size indices (the last may be smaller) and, for each batch, takes one step
    w <- w - lr * dw, b <- b - lr * db against the gradient of the MEAN binary cross-entropy
    over that batch. After each epoch it records the mean binary cross-entropy of (w, b) over
    the whole training set.

    X: (N, D); y: (N,) of 0s and 1s; w0: (D,); b0: float; rng: a numpy Generator.
    Returns (w, b, losses): w a (D,) array, b a float, losses an (epochs,) array.
    X, y and w0 are not modified; stable (no nan, inf or warning) for |X @ w + b| up to 1e4.
    """
    N = len(y)
    w, b = w0.copy(), float(b0)                     # a copy: the caller's w0 stays as it was
    losses = []
    perm = rng.permutation(N)
    for epoch in range(epochs):
        for start in range(0, N, batch_size):
            idx = perm[start:start + batch_size]
            z = X[idx] @ w + b                      # (B,)
            p = 0.5 * (1.0 + np.tanh(0.5 * z))      # sigmoid(z), without overflow
            dw = X[idx].T @ (p - y[idx]) / len(idx) # (D, B) @ (B,) -> (D,): the mean over the batch
            db = np.sum(p - y[idx]) / len(idx)
            w -= lr * dw
            b -= lr * db
        z = X @ w + b                               # (N,)
        losses.append(np.mean(np.logaddexp(0.0, z) - y * z))  # softplus(z) - y z: never log(0)
    return w, b, np.array(losses)
