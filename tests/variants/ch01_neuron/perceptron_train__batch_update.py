# task: perceptron_train
# expect: less
# Accumulates the updates and applies them once per epoch.
def perceptron_train(X, y, lr=1.0, epochs=10):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        pred = (X @ w + b > 0).astype(float)
        w = w + lr * (y - pred) @ X
        b += lr * float(np.sum(y - pred))
    return w, b
