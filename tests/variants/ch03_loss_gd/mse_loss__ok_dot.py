# task: mse_loss
# expect: full
# A dot product of the flattened residual with itself, returned as a NumPy scalar.
def mse_loss(y_pred, y_true):
    r = (y_pred - y_true).ravel()
    return r @ r / r.size
