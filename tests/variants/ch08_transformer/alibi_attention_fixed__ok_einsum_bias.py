# task: alibi_attention_fixed
# expect: full
# A different correct fix: einsum for the scores, the bias and the mask built as one additive
# (T, T) matrix per head, and the softmax written with a log-sum-exp.
def alibi_attention_fixed(Q, K, V, slopes):
    N, H, T, D = Q.shape
    scores = np.einsum("nhtd,nhsd->nhts", Q, K) / D ** 0.5
    pos = np.arange(T, dtype=float)
    dist = pos.reshape(T, 1) - pos.reshape(1, T)                 # t - s
    bias = -np.asarray(slopes).reshape(H, 1, 1) * dist           # (H, T, T)
    bias[:, dist < 0] = -np.inf
    s = scores + bias
    m = s.max(axis=-1, keepdims=True)
    logz = m + np.log(np.exp(s - m).sum(axis=-1, keepdims=True))
    w = np.exp(s - logz)
    return np.einsum("nhts,nhsv->nhtv", w, V), w
