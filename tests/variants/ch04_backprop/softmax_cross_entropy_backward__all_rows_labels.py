# task: softmax_cross_entropy_backward
# expect: less
# P[:, labels] instead of P[np.arange(N), labels]: every row loses 1 at every label present.
def softmax_cross_entropy_backward(logits, labels):
    N = logits.shape[0]
    E = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    P[:, labels] -= 1.0
    return P / N
