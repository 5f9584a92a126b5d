# task: huber_loss
# expect: less
# The linear part is delta * |r|, without the - delta / 2 that makes it meet the parabola.
def huber_loss(y_pred, y_true, delta=1.0):
    r = y_pred - y_true
    a = np.abs(r)
    return float(np.mean(np.where(a <= delta, 0.5 * r ** 2, delta * a)))
