# task: temperature_scale
# expect: full
# Correct: Newton's method on u = 1/T, where the loss is convex (its derivative is
# mean(E_p[z] - z_y), its second derivative the mean variance of z under p), kept inside
# [1/20, 1/0.05] by bisection whenever a step leaves the bracket.
def temperature_scale(logits, labels):
    Z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels)
    zy = Z[np.arange(len(y)), y].mean()

    def derivatives(u):
        S = Z * u
        S = S - S.max(axis=1, keepdims=True)
        P = np.exp(S)
        P /= P.sum(axis=1, keepdims=True)
        mean = (P * Z).sum(axis=1)
        var = (P * Z ** 2).sum(axis=1) - mean ** 2
        return mean.mean() - zy, max(var.mean(), 1e-300)

    lo, hi, u = 1 / 20.0, 1 / 0.05, 1.0
    for _ in range(200):
        g, h = derivatives(u)
        if abs(g) < 1e-12 or hi - lo < 1e-12 * hi:
            break
        if g > 0:
            hi = u
        else:
            lo = u
        step = u - g / h
        u = step if lo < step < hi else (lo + hi) / 2
    return float(1.0 / u)
