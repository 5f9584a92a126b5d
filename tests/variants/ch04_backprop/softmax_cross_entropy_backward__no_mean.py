# task: softmax_cross_entropy_backward
# expect: less
# Forgets the 1/N of the mean.
def softmax_cross_entropy_backward(logits, labels):
    N = logits.shape[0]
    E = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    P[np.arange(N), labels] -= 1.0
    return P
