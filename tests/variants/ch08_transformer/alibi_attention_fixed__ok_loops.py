# task: alibi_attention_fixed
# expect: full
# A different correct fix: loops over heads and queries, each query scoring only its past keys,
# with the slopes read as Python floats.
def alibi_attention_fixed(Q, K, V, slopes):
    N, H, T, D = Q.shape
    out = np.zeros(Q.shape[:-1] + (V.shape[-1],))
    weights = np.zeros((N, H, T, T))
    for h in range(H):
        m = float(list(slopes)[h])
        for t in range(T):
            s = (Q[:, h, t, None, :] * K[:, h, : t + 1, :]).sum(-1) / np.sqrt(D)     # (N, t+1)
            s = s - m * (t - np.arange(t + 1))
            e = np.exp(s - s.max(axis=-1, keepdims=True))
            w = e / e.sum(axis=-1, keepdims=True)
            weights[:, h, t, : t + 1] = w
            out[:, h, t] = np.einsum("ns,nsv->nv", w, V[:, h, : t + 1])
    return out, weights
