# task: clip_grad_norm
# expect: less
# Rescales every time, so small gradients are blown up to max_norm.
def clip_grad_norm(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    scale = max_norm / (total + 1e-6)
    return [g * scale for g in grads], total
