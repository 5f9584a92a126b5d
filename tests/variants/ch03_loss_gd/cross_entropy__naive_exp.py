# task: cross_entropy
# expect: less
# No max subtraction: exp overflows for large logits.
def cross_entropy(logits, labels):
    N = logits.shape[0]
    lse = np.log(np.exp(logits).sum(axis=1))
    return float(np.mean(lse - logits[np.arange(N), labels]))
