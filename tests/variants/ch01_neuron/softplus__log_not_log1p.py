# task: softplus
# expect: less
# Stable for large z, but log(1 + u) loses every digit for tiny u: 0 instead of about exp(z).
def softplus(z):
    z = np.asarray(z, dtype=np.float64)
    return np.maximum(z, 0.0) + np.log(1.0 + np.exp(-np.abs(z)))
