# task: gd_step
# expect: full
# In-place updates, but on copies: the caller's arrays stay unchanged.
def gd_step(params, grads, lr):
    out = [np.array(p, dtype=np.float64) if isinstance(p, np.ndarray) else p for p in params]
    for k, g in enumerate(grads):
        if isinstance(out[k], np.ndarray):
            out[k] -= lr * g
        else:
            out[k] = out[k] - lr * g
    return out
