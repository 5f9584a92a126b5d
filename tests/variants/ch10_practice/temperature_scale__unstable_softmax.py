# task: temperature_scale
# expect: less
# The softmax without subtracting the largest logit: exp overflows for large logits at a
# small T (nan), and the search goes astray there.
def temperature_scale(logits, labels):
    Z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels)

    def loss(log_T):
        E = np.exp(Z / np.exp(log_T))
        P = E / E.sum(axis=1, keepdims=True)
        return -np.log(P[np.arange(len(y)), y]).mean()

    a, b = np.log(0.05), np.log(20.0)
    with np.errstate(all="ignore"):
        for _ in range(200):
            m1, m2 = a + (b - a) / 3, b - (b - a) / 3
            if loss(m1) < loss(m2):
                b = m2
            else:
                a = m1
    return float(np.exp((a + b) / 2))
