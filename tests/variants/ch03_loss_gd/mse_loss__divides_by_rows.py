# task: mse_loss
# expect: less
# Divides by the number of samples N, not by all N*M elements.
def mse_loss(y_pred, y_true):
    return float(np.sum((y_pred - y_true) ** 2) / len(y_pred))
