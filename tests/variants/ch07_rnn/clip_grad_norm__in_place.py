# task: clip_grad_norm
# expect: less
# Right values, but scales the caller's arrays in place (as clip_grad_norm_ does to .grad).
def clip_grad_norm(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    scale = max_norm / (total + 1e-6)
    if scale < 1:
        for g in grads:
            g *= scale
    return grads, total
