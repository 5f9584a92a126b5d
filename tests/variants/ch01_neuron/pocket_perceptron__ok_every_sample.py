# task: pocket_perceptron
# expect: full
# Compares after every sample (a no-op update changes nothing); b stays a NumPy number, errors a NumPy int.
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    w = np.zeros(X.shape[1])
    b = np.float64(0.0)
    count = lambda w, b: np.count_nonzero(np.where(X @ w + b > 0, 1, 0) != y)  # noqa: E731
    pocket_w, pocket_b, pocket_err = w.copy(), b, count(w, b)
    for _ in range(epochs):
        for x_i, y_i in zip(X, y):
            delta = lr * (y_i - (1 if x_i @ w + b > 0 else 0))
            w = w + delta * x_i
            b = b + delta
            err = count(w, b)
            if err < pocket_err:
                pocket_w, pocket_b, pocket_err = w.copy(), b, err
    return pocket_w, pocket_b
