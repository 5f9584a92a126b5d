# task: accuracy
# expect: full
# np.mean returns a NumPy float64: a float, fine.
def accuracy(y_pred, y_true):
    return (y_pred == y_true).mean()
