# task: expected_calibration_error
# expect: less
# The confidence is taken as the probability of the true class, not the largest one.
def expected_calibration_error(probs, labels, n_bins=15):
    probs = np.asarray(probs, dtype=np.float64)
    labels = np.asarray(labels)
    conf = probs[np.arange(len(labels)), labels]
    correct = probs.argmax(axis=1) == labels
    edges = np.arange(n_bins + 1) / n_bins
    ece = 0.0
    for b in range(n_bins):
        inside = (conf > edges[b]) & (conf <= edges[b + 1])
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - conf[inside].mean())
    return float(ece)
