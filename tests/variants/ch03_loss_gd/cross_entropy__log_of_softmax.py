# task: cross_entropy
# expect: less
# Stable softmax, then the log of the probability: underflows to log(0) = -inf.
def cross_entropy(logits, labels):
    E = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(P[np.arange(len(labels)), labels])))
