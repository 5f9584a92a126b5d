# task: softmax
# expect: full
# Flattens the leading axes and normalises one row at a time.
def softmax(Z):
    Z = np.asarray(Z, dtype=np.float64)
    rows = Z.reshape(-1, Z.shape[-1])
    out = np.empty_like(rows)
    for i, z in enumerate(rows):
        e = np.exp(z - z.max())
        out[i] = e / e.sum()
    return out.reshape(Z.shape)
