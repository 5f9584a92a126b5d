# task: huber_loss
# expect: less
# The delta argument is ignored: the threshold is always 1.
def huber_loss(y_pred, y_true, delta=1.0):
    r = y_pred - y_true
    a = np.abs(r)
    return float(np.mean(np.where(a <= 1.0, 0.5 * r ** 2, a - 0.5)))
