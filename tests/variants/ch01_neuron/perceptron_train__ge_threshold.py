# task: perceptron_train
# expect: less
# Predicts 1 for a score of exactly 0.
def perceptron_train(X, y, lr=1.0, epochs=10):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for i in range(len(X)):
            pred = 1 if X[i] @ w + b >= 0 else 0
            w = w + lr * (y[i] - pred) * X[i]
            b += lr * (y[i] - pred)
    return w, b
