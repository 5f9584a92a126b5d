# task: softplus
# expect: full
# Two regions computed separately, each with a safe formula.
def softplus(z):
    z = np.array(z, dtype=np.float64)
    out = np.empty_like(z)
    pos = z > 0
    out[pos] = z[pos] + np.log1p(np.exp(-z[pos]))
    out[~pos] = np.log1p(np.exp(z[~pos]))
    return out
