# task: huber_grad
# expect: full
# np.where with delta * sign(r) outside the quadratic zone.
def huber_grad(y_pred, y_true, delta=1.0):
    r = (y_pred - y_true).astype(np.float64)
    g = np.where(np.abs(r) <= delta, r, delta * np.sign(r))
    return g / r.size
