# task: clip_grad_norm
# expect: less
# Adds up the norms of the arrays instead of taking the norm of all entries together.
def clip_grad_norm(grads, max_norm):
    total = float(sum(np.linalg.norm(g) for g in grads))
    scale = max_norm / (total + 1e-6)
    if scale < 1:
        return [g * scale for g in grads], total
    return [g.copy() for g in grads], total
