# task: expected_calibration_error
# expect: full
# Correct: np.digitize with right=True on the inner edges puts (k/n, (k+1)/n] in bin k;
# the sums per bin with np.bincount.
def expected_calibration_error(probs, labels, n_bins=15):
    probs = np.asarray(probs, dtype=np.float64)
    conf = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == np.asarray(labels)).astype(float)
    inner = np.linspace(0.0, 1.0, n_bins + 1)[1:-1]
    bins = np.digitize(conf, inner, right=True)
    count = np.bincount(bins, minlength=n_bins)
    acc = np.bincount(bins, weights=correct, minlength=n_bins)
    confidence = np.bincount(bins, weights=conf, minlength=n_bins)
    full = count > 0
    return float(np.abs(acc[full] - confidence[full]).sum() / len(conf))
