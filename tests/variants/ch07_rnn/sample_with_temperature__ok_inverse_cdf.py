# task: sample_with_temperature
# expect: full
# Inverse CDF: one uniform number, searched in the cumulative probabilities (log-sum-exp softmax).
def sample_with_temperature(logits, temperature, rng):
    z = np.asarray(logits, dtype=np.float64) / temperature
    m = z.max()
    log_p = z - (m + np.log(np.sum(np.exp(z - m))))
    cdf = np.cumsum(np.exp(log_p))
    k = np.searchsorted(cdf, rng.random() * cdf[-1], side="right")
    return min(int(k), len(z) - 1)
