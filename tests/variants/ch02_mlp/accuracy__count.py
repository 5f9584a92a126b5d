# task: accuracy
# expect: less
# Returns the number of correct predictions.
def accuracy(y_pred, y_true):
    return np.sum(y_pred == y_true)
