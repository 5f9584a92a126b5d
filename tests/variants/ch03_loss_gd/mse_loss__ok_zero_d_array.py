# task: mse_loss
# expect: full
# Returns a 0-d array instead of a float: the right value in another form.
def mse_loss(y_pred, y_true):
    d = np.subtract(y_pred, y_true).ravel()
    return np.asarray(np.dot(d, d) / d.size)
