# task: huber_grad
# expect: less
# The sign is flipped: the gradient of y_true - y_pred.
def huber_grad(y_pred, y_true, delta=1.0):
    return np.clip(y_true - y_pred, -delta, delta) / y_pred.size
