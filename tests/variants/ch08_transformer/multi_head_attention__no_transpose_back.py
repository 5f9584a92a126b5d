# task: multi_head_attention
# expect: less
# Concatenates the heads by reshaping (N, h, T, D) straight to (N, T, d), without moving the
# head axis back next to the channels.
def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads, causal=False):
    N, T, d = X.shape
    D = d // n_heads

    def split(Z):
        return Z.reshape(N, T, n_heads, D).transpose(0, 2, 1, 3)

    mask = causal_mask(T) if causal else None
    heads, _ = scaled_dot_product_attention(split(X @ Wq), split(X @ Wk), split(X @ Wv), mask)
    return heads.reshape(N, T, d) @ Wo
