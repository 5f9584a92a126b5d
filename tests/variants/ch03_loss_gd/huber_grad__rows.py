# task: huber_grad
# expect: less
# Divided by the number of rows len(y_pred), not by the number of elements.
def huber_grad(y_pred, y_true, delta=1.0):
    return np.clip(y_pred - y_true, -delta, delta) / len(y_pred)
