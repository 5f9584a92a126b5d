# task: adamw_step
# expect: less
# Leaves out Adam's bias correction (uses m and v as they are).
def adamw_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    return w * (1 - lr * weight_decay) - lr * m / (np.sqrt(v) + eps), m, v
