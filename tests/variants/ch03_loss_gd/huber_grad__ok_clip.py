# task: huber_grad
# expect: full
# The residual clipped to [-delta, delta], divided by the number of elements.
def huber_grad(y_pred, y_true, delta=1.0):
    return np.clip(y_pred - y_true, -delta, delta) / np.size(y_pred)
