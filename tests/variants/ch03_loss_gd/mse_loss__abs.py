# task: mse_loss
# expect: less
# Mean absolute error: forgets to square.
def mse_loss(y_pred, y_true):
    return float(np.mean(np.abs(y_pred - y_true)))
