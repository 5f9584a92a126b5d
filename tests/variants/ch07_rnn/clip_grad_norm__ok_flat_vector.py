# task: clip_grad_norm
# expect: full
# One flat vector of all entries, np.linalg.norm, and a "total > max_norm" test.
def clip_grad_norm(grads, max_norm):
    total_norm = float(np.linalg.norm(np.concatenate([g.ravel() for g in grads])))
    if total_norm > max_norm:
        coef = max_norm / (total_norm + 1e-6)
        return [coef * g for g in grads], total_norm
    return [np.array(g) for g in grads], total_norm
