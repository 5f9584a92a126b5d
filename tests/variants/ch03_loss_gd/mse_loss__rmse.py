# task: mse_loss
# expect: less
# Takes the square root: RMSE, not MSE.
def mse_loss(y_pred, y_true):
    return float(np.sqrt(np.mean((y_pred - y_true) ** 2)))
