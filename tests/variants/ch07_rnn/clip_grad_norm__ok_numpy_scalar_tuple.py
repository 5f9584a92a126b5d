# task: clip_grad_norm
# expect: full
# Values judged as values: returns a tuple of arrays and the norm as a NumPy float64 scalar.
def clip_grad_norm(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(np.square(g)) for g in grads))
    coef = min(1.0, max_norm / (total_norm + 1e-6))
    return tuple(g * coef for g in grads), total_norm
