# task: accuracy
# expect: less
# Keeps the reduced axis: a (1,) array instead of a number.
def accuracy(y_pred, y_true):
    return np.mean(y_pred == y_true, keepdims=True)
