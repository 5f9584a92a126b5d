# task: alibi_attention_fixed
# expect: less
# Planted bug 3 left: the mask is the upper triangle (np.triu), so each query sees the future.
def alibi_attention_fixed(Q, K, V, slopes):
    N, H, T, D = Q.shape
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(D)         # (N, H, T, T)
    t = np.arange(T)
    back = t[:, None] - t[None, :]                           # (T, T): t - s, how far key s lies behind query t
    scores = scores - slopes[:, None, None] * back           # (H, 1, 1) * (T, T): one slope per head
    allowed = np.triu(np.ones((T, T), dtype=bool))           # (T, T): key s allowed for query t when s <= t
    scores = np.where(allowed, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)     # stable: exp of <= 0
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)  # softmax over the keys
    return weights @ V, weights                              # (N, H, T, Dv), (N, H, T, T)
