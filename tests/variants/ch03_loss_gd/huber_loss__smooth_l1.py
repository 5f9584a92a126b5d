# task: huber_loss
# expect: less
# Smooth L1 (divided by delta): equal to the Huber loss only for delta = 1.
def huber_loss(y_pred, y_true, delta=1.0):
    r = y_pred - y_true
    a = np.abs(r)
    return float(np.mean(np.where(a < delta, 0.5 * r ** 2 / delta, a - 0.5 * delta)))
