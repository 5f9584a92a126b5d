# task: temperature_scale
# expect: less
# The best of 400 temperatures on a grid: close, but not within a relative 1e-4.
def temperature_scale(logits, labels):
    Z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels)
    best, best_T = np.inf, None
    for T in np.geomspace(0.05, 20.0, 400):
        S = Z / T
        S = S - S.max(axis=1, keepdims=True)
        loss = -(S[np.arange(len(y)), y] - np.log(np.exp(S).sum(axis=1))).mean()
        if loss < best:
            best, best_T = loss, T
    return float(best_T)
