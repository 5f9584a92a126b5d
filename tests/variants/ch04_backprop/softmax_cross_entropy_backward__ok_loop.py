# task: softmax_cross_entropy_backward
# expect: full
# Correct, one row at a time.
def softmax_cross_entropy_backward(logits, labels):
    N = len(labels)
    grad = np.empty_like(logits, dtype=np.float64)
    for i in range(N):
        e = np.exp(logits[i] - np.max(logits[i]))
        grad[i] = e / e.sum()
        grad[i, labels[i]] -= 1.0
    return grad / N
