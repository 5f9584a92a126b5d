# task: adam_step
# expect: less
# Right weights, but returns the bias-corrected m_hat and v_hat as the new state.
def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = (beta1 * m + (1 - beta1) * g) / (1 - beta1 ** t)
    v = (beta2 * v + (1 - beta2) * g * g) / (1 - beta2 ** t)
    return w - lr * m / (np.sqrt(v) + eps), m, v
