# task: mse_loss
# expect: less
# Averages over the batch axis only: an array per output column, not one number.
def mse_loss(y_pred, y_true):
    return np.mean((y_pred - y_true) ** 2, axis=0)
