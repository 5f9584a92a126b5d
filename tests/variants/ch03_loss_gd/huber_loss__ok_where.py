# task: huber_loss
# expect: full
# np.where over the two branches, the mean with np.mean; returns a NumPy float64 scalar.
def huber_loss(y_pred, y_true, delta=1.0):
    r = y_pred - y_true
    a = np.abs(r)
    return np.mean(np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta)))
