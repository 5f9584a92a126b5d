# task: expected_calibration_error
# expect: less
# The mean of the bins' gaps, each bin counting the same whatever its size.
def expected_calibration_error(probs, labels, n_bins=15):
    probs = np.asarray(probs, dtype=np.float64)
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == np.asarray(labels)
    edges = np.arange(n_bins + 1) / n_bins
    gaps = []
    for b in range(n_bins):
        inside = (conf > edges[b]) & (conf <= edges[b + 1])
        if inside.any():
            gaps.append(abs(correct[inside].mean() - conf[inside].mean()))
    return float(np.mean(gaps))
