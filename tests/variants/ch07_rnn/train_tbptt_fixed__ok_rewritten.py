# task: train_tbptt_fixed
# expect: full
# Another correct fix: log-sum-exp loss, a tuple of params, a NumPy-array list of losses, gradients clipped with one coefficient.
def train_tbptt_fixed(ids, params, lr, seq_len, max_norm):
    E, lam, Wy, by = [np.array(p, dtype=float) for p in params]
    h = np.zeros_like(lam)
    losses = []
    n_windows = (len(ids) - 1) // seq_len
    for k in range(n_windows):
        s = k * seq_len
        x, y = ids[s:s + seq_len], ids[s + 1:s + seq_len + 1]
        states = [h]
        for t in range(seq_len):
            states.append(lam * states[-1] + E[x[t]])
        Hs = np.stack(states)                                     # (T + 1, H)
        logits = Hs[1:] @ Wy + by
        m = logits.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
        losses.append(np.mean(lse - logits[np.arange(seq_len), y]))
        p = np.exp(logits - lse[:, None])
        p[np.arange(seq_len), y] -= 1
        p /= seq_len
        gWy, gby = Hs[1:].T @ p, p.sum(0)
        dHs = p @ Wy.T                                            # (T, H) from above
        gE, glam = np.zeros_like(E), np.zeros_like(lam)
        carry = np.zeros_like(lam)
        for t in range(seq_len - 1, -1, -1):
            d = dHs[t] + carry
            glam = glam + d * Hs[t]
            np.add.at(gE, x[t], d)
            carry = d * lam
        grads = (gE, glam, gWy, gby)
        norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
        coef = max_norm / (norm + 1e-6) if norm > max_norm else 1.0
        E, lam, Wy, by = E - lr * coef * gE, lam - lr * coef * glam, Wy - lr * coef * gWy, by - lr * coef * gby
        h = Hs[-1]
    return (E, lam, Wy, by), np.array(losses)
