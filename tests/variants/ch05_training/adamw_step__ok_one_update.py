# task: adamw_step
# expect: full
# A different correct AdamW: the decay written as part of one update, the corrections folded into the step size.
def adamw_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    m_new = m * beta1 + g * (1.0 - beta1)
    v_new = v * beta2 + np.square(g) * (1.0 - beta2)
    c1, c2 = 1.0 - beta1 ** t, 1.0 - beta2 ** t
    step = (m_new / c1) / (np.sqrt(v_new / c2) + eps)
    return w - lr * weight_decay * w - lr * step, m_new, v_new
