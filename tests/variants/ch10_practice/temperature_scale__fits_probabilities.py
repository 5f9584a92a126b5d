# task: temperature_scale
# expect: less
# The temperature divides the softmax probabilities instead of the logits.
def temperature_scale(logits, labels):
    Z = np.asarray(logits, dtype=np.float64)
    Z = Z - Z.max(axis=1, keepdims=True)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    y = np.asarray(labels)

    def loss(log_T):
        S = P / np.exp(log_T)
        S = S - S.max(axis=1, keepdims=True)
        return -(S[np.arange(len(y)), y] - np.log(np.exp(S).sum(axis=1))).mean()

    a, b = np.log(0.05), np.log(20.0)
    for _ in range(200):
        m1, m2 = a + (b - a) / 3, b - (b - a) / 3
        if loss(m1) < loss(m2):
            b = m2
        else:
            a = m1
    return float(np.exp((a + b) / 2))
