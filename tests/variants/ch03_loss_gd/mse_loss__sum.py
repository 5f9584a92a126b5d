# task: mse_loss
# expect: less
# Sums the squared errors instead of averaging them.
def mse_loss(y_pred, y_true):
    return float(np.sum((y_pred - y_true) ** 2))
