# task: accuracy
# expect: less
def accuracy(y_pred, y_true):
    return 100.0 * np.mean(y_pred == y_true)
