# task: softmax_cross_entropy_backward
# expect: less
# No max-subtraction: exp overflows for large logits (nan and a warning).
def softmax_cross_entropy_backward(logits, labels):
    N = logits.shape[0]
    E = np.exp(logits)
    P = E / E.sum(axis=1, keepdims=True)
    P[np.arange(N), labels] -= 1.0
    return P / N
