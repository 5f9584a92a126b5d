# task: clip_grad_norm
# expect: full
# PyTorch's own formulation: the coefficient clamped at 1, applied always; a tuple out.
def clip_grad_norm(grads, max_norm):
    total_norm = math.sqrt(sum(np.vdot(g, g) for g in grads))
    coef = min(max_norm / (total_norm + 1e-6), 1.0)
    return tuple(g * coef for g in grads), np.float64(total_norm)
