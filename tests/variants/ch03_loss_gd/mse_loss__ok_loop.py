# task: mse_loss
# expect: full
# A plain loop over the flattened arrays.
def mse_loss(y_pred, y_true):
    total = 0.0
    for a, b in zip(np.ravel(y_pred), np.ravel(y_true)):
        total += (a - b) * (a - b)
    return total / np.size(y_true)
