# task: huber_grad
# expect: less
# The residual is not clipped: the MSE-like gradient r / K everywhere.
def huber_grad(y_pred, y_true, delta=1.0):
    return (y_pred - y_true) / y_pred.size
