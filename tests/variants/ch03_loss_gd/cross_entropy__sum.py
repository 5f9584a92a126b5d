# task: cross_entropy
# expect: less
# Sums over the batch instead of averaging.
def cross_entropy(logits, labels):
    m = logits.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
    return float(np.sum(lse - logits[np.arange(len(labels)), labels]))
