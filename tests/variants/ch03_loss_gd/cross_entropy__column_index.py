# task: cross_entropy
# expect: less
# logits[:, labels] picks every label's column for every row: an (N, N) array.
def cross_entropy(logits, labels):
    m = logits.max(axis=1, keepdims=True)
    logp = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return float(-np.mean(logp[:, labels]))
