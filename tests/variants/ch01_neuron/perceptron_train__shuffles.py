# task: perceptron_train
# expect: less
# Visits the samples in a random order.
def perceptron_train(X, y, lr=1.0, epochs=10):
    rng = np.random.default_rng(0)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for i in rng.permutation(len(X)):
            pred = 1 if X[i] @ w + b > 0 else 0
            w = w + lr * (y[i] - pred) * X[i]
            b += lr * (y[i] - pred)
    return w, b
