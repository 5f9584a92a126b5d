# task: scaled_dot_product_attention
# expect: full
# A different correct formulation: einsum for the products, the mask as an additive bias of -1e300
# (exp of it, after the row maximum is subtracted, is exactly 0), softmax through log-sum-exp.
def scaled_dot_product_attention(Q, K, V, mask=None):
    scores = np.einsum("...qd,...kd->...qk", Q, K) / math.sqrt(Q.shape[-1])
    if mask is not None:
        scores = scores + np.where(mask, 0.0, -1e300)
    m = scores.max(axis=-1, keepdims=True)
    log_w = scores - m - np.log(np.exp(scores - m).sum(axis=-1, keepdims=True))
    weights = np.exp(log_w)
    return np.einsum("...qk,...kv->...qv", weights, V), weights
