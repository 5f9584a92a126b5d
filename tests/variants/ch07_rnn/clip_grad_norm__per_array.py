# task: clip_grad_norm
# expect: less
# Clips every array by its own norm (changes the direction of the whole gradient).
def clip_grad_norm(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    out = []
    for g in grads:
        n = float(np.linalg.norm(g))
        out.append(g * (max_norm / (n + 1e-6)) if n > max_norm else g.copy())
    return out, total
