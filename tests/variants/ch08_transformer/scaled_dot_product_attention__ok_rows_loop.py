# task: scaled_dot_product_attention
# expect: full
# Another correct answer: broadcast everything to full shapes, then one query row at a time.
def scaled_dot_product_attention(Q, K, V, mask=None):
    d = Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / d ** 0.5
    allowed = np.ones(scores.shape, dtype=bool) if mask is None else np.broadcast_to(mask, scores.shape)
    weights = np.zeros(scores.shape)
    for idx in np.ndindex(*scores.shape[:-1]):
        s = scores[idx][allowed[idx]]
        e = np.exp(s - s.max())
        weights[idx][allowed[idx]] = e / e.sum()
    return weights @ V, weights
