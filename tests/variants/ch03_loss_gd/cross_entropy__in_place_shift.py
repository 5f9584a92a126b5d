# task: cross_entropy
# expect: less
# Right value, but subtracts the maximum from the caller's logits in place.
def cross_entropy(logits, labels):
    logits -= logits.max(axis=1, keepdims=True)
    lse = np.log(np.exp(logits).sum(axis=1))
    return float(np.mean(lse - logits[np.arange(len(labels)), labels]))
