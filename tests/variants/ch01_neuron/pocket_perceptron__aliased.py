# task: pocket_perceptron
# expect: less
# The pocket keeps a reference to w, which the in-place update then changes: w comes back as the last weights.
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    w, b = np.zeros(X.shape[1]), 0.0
    best_w, best_b = w, b
    best = np.sum((X @ w + b > 0) != y)
    for _ in range(epochs):
        for i in range(len(X)):
            pred = 1 if X[i] @ w + b > 0 else 0
            if pred != y[i]:
                w += lr * (y[i] - pred) * X[i]
                b += lr * (y[i] - pred)
                e = np.sum((X @ w + b > 0) != y)
                if e < best:
                    best_w, best_b, best = w, b, e
    return best_w, best_b
