# task: temperature_scale
# expect: less
# A golden-section search stopped after 12 steps: the bracket is still far wider than a
# relative 1e-4.
def temperature_scale(logits, labels):
    Z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels)

    def loss(log_T):
        S = Z / np.exp(log_T)
        S = S - S.max(axis=1, keepdims=True)
        return -(S[np.arange(len(y)), y] - np.log(np.exp(S).sum(axis=1))).mean()

    g = (np.sqrt(5) - 1) / 2
    a, b = np.log(0.05), np.log(20.0)
    for _ in range(12):
        c, d = b - g * (b - a), a + g * (b - a)
        if loss(c) < loss(d):
            b = d
        else:
            a = c
    return float(np.exp((a + b) / 2))
