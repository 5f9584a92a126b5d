# task: log_softmax
# expect: full
# One vector at a time over the leading axes, with log1p of the sum of the other terms.
def log_softmax(Z):
    Z = np.asarray(Z, dtype=np.float64)
    flat = Z.reshape(-1, Z.shape[-1])
    out = np.empty_like(flat)
    for r, z in enumerate(flat):
        k = int(np.argmax(z))
        others = np.delete(z - z[k], k)
        out[r] = z - z[k] - np.log1p(np.exp(others).sum())
    return out.reshape(Z.shape)
