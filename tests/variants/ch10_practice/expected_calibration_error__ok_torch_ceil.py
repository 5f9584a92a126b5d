# task: expected_calibration_error
# expect: full
# Correct: in torch, bin = ceil(c * n) - 1 (an edge k/n gives k - 1, the lower bin), returned
# as a 0-d array's value.
def expected_calibration_error(probs, labels, n_bins=15):
    p = torch.as_tensor(np.asarray(probs, dtype=np.float64))
    y = torch.as_tensor(np.asarray(labels))
    conf, pred = p.max(dim=1)
    correct = (pred == y).double()
    bins = (torch.ceil(conf * n_bins) - 1).clamp(0, n_bins - 1).long()
    total = torch.zeros((), dtype=torch.float64)
    for b in range(n_bins):
        inside = bins == b
        if inside.any():
            total += inside.double().mean() * (correct[inside].mean() - conf[inside].mean()).abs()
    return total.numpy()
