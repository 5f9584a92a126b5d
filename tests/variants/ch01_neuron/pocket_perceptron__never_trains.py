# task: pocket_perceptron
# expect: less
# Never trains: returns the starting pocket.
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    return np.zeros(X.shape[1]), 0.0
