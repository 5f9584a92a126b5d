# task: softmax_cross_entropy_backward
# expect: less
# Right values, but shifts the caller's logits in place.
def softmax_cross_entropy_backward(logits, labels):
    N = logits.shape[0]
    logits -= logits.max(axis=1, keepdims=True)
    P = np.exp(logits)
    P /= P.sum(axis=1, keepdims=True)
    P[np.arange(N), labels] -= 1.0
    return P / N
