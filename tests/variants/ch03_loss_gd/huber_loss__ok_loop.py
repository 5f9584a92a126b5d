# task: huber_loss
# expect: full
# A plain loop over the flattened residuals, summed in a Python float.
def huber_loss(y_pred, y_true, delta=1.0):
    total, count = 0.0, 0
    for p, t in zip(np.ravel(y_pred), np.ravel(y_true)):
        r = abs(float(p) - float(t))
        total += 0.5 * r * r if r <= delta else delta * (r - delta / 2)
        count += 1
    return total / count
