# task: cross_entropy
# expect: less
# Log-softmax along axis 0 (over the examples) instead of over the classes.
def cross_entropy(logits, labels):
    m = logits.max(axis=0, keepdims=True)
    logp = logits - m - np.log(np.exp(logits - m).sum(axis=0, keepdims=True))
    return float(-np.mean(logp[np.arange(len(labels)), labels]))
