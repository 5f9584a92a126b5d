# task: huber_grad
# expect: less
# Divided by delta: the gradient of smooth L1 with beta = delta.
def huber_grad(y_pred, y_true, delta=1.0):
    return np.clip(y_pred - y_true, -delta, delta) / (delta * y_pred.size)
