# task: perceptron_train
# expect: full
# In-place updates on its own copies, b kept as a NumPy scalar: still correct.
def perceptron_train(X, y, lr=1.0, epochs=10):
    w = np.zeros(X.shape[1])
    b = np.float64(0.0)
    for _ in range(epochs):
        for x_i, y_i in zip(X, y):
            err = y_i - int(np.dot(x_i, w) + b > 0)
            if err:
                w += lr * err * x_i
                b += lr * err
    return w, b
