# task: softmax_cross_entropy_backward
# expect: full
# Correct, through a stable log-sum-exp and an explicit one-hot matrix.
def softmax_cross_entropy_backward(logits, labels):
    N, C = logits.shape
    m = logits.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    onehot = np.eye(C)[labels]
    return (np.exp(logits - lse) - onehot) / N
