# task: expected_calibration_error
# expect: less
# The gaps are not taken in absolute value: over- and under-confident bins cancel.
def expected_calibration_error(probs, labels, n_bins=15):
    probs = np.asarray(probs, dtype=np.float64)
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == np.asarray(labels)
    edges = np.arange(n_bins + 1) / n_bins
    ece = 0.0
    for b in range(n_bins):
        inside = (conf > edges[b]) & (conf <= edges[b + 1])
        if inside.any():
            ece += inside.mean() * (conf[inside].mean() - correct[inside].mean())
    return float(ece)
