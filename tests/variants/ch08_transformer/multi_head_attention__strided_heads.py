# task: multi_head_attention
# expect: less
# Head i takes channels i, i + h, i + 2h, ... (reshape to (..., D, h)) instead of a consecutive slice.
def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, causal=False):
    N, T, d = X.shape
    D = d // n_heads

    def split(Z):
        return Z.reshape(N, T, D, n_heads).transpose(0, 3, 1, 2)

    mask = causal_mask(T) if causal else None
    heads, _ = scaled_dot_product_attention(split(X @ Wq), split(X @ Wk), split(X @ Wv), mask)
    concat = heads.transpose(0, 2, 3, 1).reshape(N, T, d)
    return concat @ Wo
