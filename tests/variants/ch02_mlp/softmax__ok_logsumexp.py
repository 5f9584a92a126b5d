# task: softmax
# expect: full
# exp(z - logsumexp(z)), with a stable logsumexp.
def softmax(Z):
    m = np.max(Z, axis=-1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(Z - m), axis=-1, keepdims=True))
    return np.exp(Z - lse)
