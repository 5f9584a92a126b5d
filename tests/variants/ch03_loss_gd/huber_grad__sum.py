# task: huber_grad
# expect: less
# The gradient of the sum: not divided by the number of elements.
def huber_grad(y_pred, y_true, delta=1.0):
    return np.clip(y_pred - y_true, -delta, delta)
