# task: multi_head_attention
# expect: full
# Another correct answer, calling none of the earlier functions: einsum over (batch, head) pairs.
def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, causal=False):
    N, T, d = X.shape
    D = d // n_heads
    q, k, v = ((X @ W).reshape(N, T, n_heads, D) for W in (Wq, Wk, Wv))
    s = np.einsum("nqhd,nkhd->nhqk", q, k) / np.sqrt(D)
    if causal:
        s = np.where(np.arange(T)[None, :] <= np.arange(T)[:, None], s, -np.inf)
    w = np.exp(s - s.max(axis=-1, keepdims=True))
    w /= w.sum(axis=-1, keepdims=True)
    return np.einsum("nhqk,nkhd->nqhd", w, v).reshape(N, T, d) @ Wo
