# task: multi_head_attention
# expect: less
# Scales the scores by sqrt(d), the model width, instead of sqrt(d / n_heads).
def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, causal=False):
    N, T, d = X.shape
    D = d // n_heads
    q, k, v = ((X @ W).reshape(N, T, n_heads, D).transpose(0, 2, 1, 3) for W in (Wq, Wk, Wv))
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    if causal:
        s = np.where(causal_mask(T), s, -np.inf)
    w = np.exp(s - s.max(axis=-1, keepdims=True))
    w /= w.sum(axis=-1, keepdims=True)
    return (w @ v).transpose(0, 2, 1, 3).reshape(N, T, d) @ Wo
