# task: train_tbptt_fixed
# expect: less
# Bug 2 left in: the gradient from step t + 1 is not added to dh (the chain of states is cut). The other three are fixed.
def train_tbptt_fixed(ids, params, lr, seq_len, max_norm):
    """Truncated BPTT on the diagonal linear recurrence h_t = lam * h_{t-1} + E[x_t] with the
    readout logits_t = h_t @ Wy + by; params = [E (V, H), lam (H,), Wy (H, V), by (V,)].
    Returns (trained params, the loss of every window)."""
    E, lam, Wy, by = (np.array(p, dtype=np.float64) for p in params)   # copies
    H = lam.shape[0]
    h = np.zeros(H)                                       # the state, carried across windows
    losses = []
    for s in range(0, len(ids) - seq_len, seq_len):
        x = ids[s:s + seq_len]                            # (T,) inputs of this window
        y = ids[s + 1:s + seq_len + 1]                    # (T,) targets: FIX 1, the next characters
        hs = np.empty((seq_len + 1, H))                   # hs[0] = state before the window
        hs[0] = h
        for t in range(seq_len):
            hs[t + 1] = lam * hs[t] + E[x[t]]
        logits = hs[1:] @ Wy + by                         # (T, V)
        z = logits - logits.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        rows = np.arange(seq_len)
        losses.append(float(-logp[rows, y].mean()))
        # backward: the mean cross-entropy, then through time within the window
        dlogits = np.exp(logp)
        dlogits[rows, y] -= 1.0
        dlogits /= seq_len                                # (T, V)
        dWy, dby = hs[1:].T @ dlogits, dlogits.sum(axis=0)
        dE, dlam, dh_next = np.zeros_like(E), np.zeros_like(lam), np.zeros(H)
        for t in reversed(range(seq_len)):
            dh = dlogits[t] @ Wy.T                        # (H,) gradient at h_{t+1}
            dlam += dh * hs[t]                            # FIX 3: shared weights, summed over the steps
            dE[x[t]] += dh
            dh_next = dh * lam                            # to the state before
        grads = [dE, dlam, dWy, dby]
        total = np.sqrt(sum(np.sum(g ** 2) for g in grads))   # FIX 4: one norm over all arrays
        clipped = [g * min(1.0, max_norm / (total + 1e-6)) for g in grads]
        E, lam, Wy, by = (p - lr * g for p, g in zip((E, lam, Wy, by), clipped))
        h = hs[-1]                                        # carried to the next window
    return [E, lam, Wy, by], losses
