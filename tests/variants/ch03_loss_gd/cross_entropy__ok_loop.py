# task: cross_entropy
# expect: full
# One example at a time, with the max trick.
def cross_entropy(logits, labels):
    total = 0.0
    for z, y in zip(logits, labels):
        m = np.max(z)
        total += m + np.log(np.sum(np.exp(z - m))) - z[y]
    return float(total / len(labels))
