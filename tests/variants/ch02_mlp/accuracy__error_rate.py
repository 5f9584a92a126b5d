# task: accuracy
# expect: less
def accuracy(y_pred, y_true):
    return float(np.mean(y_pred != y_true))
