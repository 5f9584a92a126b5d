# task: expected_calibration_error
# expect: less
# Bins [k/n, (k+1)/n) by floor(c * n): a confidence exactly on an edge goes to the upper bin.
def expected_calibration_error(probs, labels, n_bins=15):
    probs = np.asarray(probs, dtype=np.float64)
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == np.asarray(labels)
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        inside = bins == b
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - conf[inside].mean())
    return float(ece)
