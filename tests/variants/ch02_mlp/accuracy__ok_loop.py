# task: accuracy
# expect: full
def accuracy(y_pred, y_true):
    correct = 0
    for p, t in zip(y_pred, y_true):
        if p == t:
            correct += 1
    return correct / len(y_true)
