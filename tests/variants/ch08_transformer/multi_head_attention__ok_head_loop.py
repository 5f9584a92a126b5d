# task: multi_head_attention
# expect: full
# A different correct answer: one head at a time, by slicing, then np.concatenate.
def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, causal=False):
    T, d = X.shape[1], X.shape[2]
    D = d // n_heads
    Q, K, V = X @ Wq, X @ Wk, X @ Wv
    mask = causal_mask(T) if causal else None
    heads = []
    for i in range(n_heads):
        cols = slice(i * D, (i + 1) * D)
        out, _ = scaled_dot_product_attention(Q[..., cols], K[..., cols], V[..., cols], mask)
        heads.append(out)
    return np.concatenate(heads, axis=-1) @ Wo
