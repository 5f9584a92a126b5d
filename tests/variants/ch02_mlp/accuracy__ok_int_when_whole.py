# task: accuracy
# expect: full
# A whole fraction comes back as a Python int (1 when all are right, 0 when none): its value is right.
def accuracy(y_pred, y_true):
    hits, n = int(np.sum(y_pred == y_true)), len(y_true)
    return hits // n if hits % n == 0 else hits / n
