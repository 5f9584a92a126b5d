# task: huber_loss
# expect: less
# The quadratic part is r**2, not 0.5 r**2 (the pieces no longer meet at |r| = delta).
def huber_loss(y_pred, y_true, delta=1.0):
    r = y_pred - y_true
    a = np.abs(r)
    return float(np.mean(np.where(a <= delta, r ** 2, delta * (a - 0.5 * delta))))
