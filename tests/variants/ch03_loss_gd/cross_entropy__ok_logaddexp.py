# task: cross_entropy
# expect: full
# np.logaddexp.reduce is a stable log-sum-exp; labels picked with take_along_axis.
def cross_entropy(logits, labels):
    lse = np.logaddexp.reduce(logits, axis=1)
    picked = np.take_along_axis(logits, labels[:, None], axis=1)[:, 0]
    return (lse - picked).mean()
