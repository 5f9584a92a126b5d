# task: pocket_perceptron
# expect: less
# Keeps a pocket but returns the final weights instead.
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for i in range(len(X)):
            pred = 1 if X[i] @ w + b > 0 else 0
            w = w + lr * (y[i] - pred) * X[i]
            b = b + lr * (y[i] - pred)
    return w, b
