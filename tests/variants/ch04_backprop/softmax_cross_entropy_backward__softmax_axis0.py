# task: softmax_cross_entropy_backward
# expect: less
# Softmax over the batch (axis 0) instead of over the classes.
def softmax_cross_entropy_backward(logits, labels):
    N = logits.shape[0]
    E = np.exp(logits - logits.max(axis=0, keepdims=True))
    P = E / E.sum(axis=0, keepdims=True)
    P[np.arange(N), labels] -= 1.0
    return P / N
