# task: expected_calibration_error
# expect: less
# n_bins is ignored: always 15 bins.
def expected_calibration_error(probs, labels, n_bins=15):
    probs = np.asarray(probs, dtype=np.float64)
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == np.asarray(labels)
    edges = np.arange(16) / 15
    ece = 0.0
    for b in range(15):
        inside = (conf > edges[b]) & (conf <= edges[b + 1])
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - conf[inside].mean())
    return float(ece)
