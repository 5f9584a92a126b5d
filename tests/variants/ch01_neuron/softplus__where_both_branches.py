# task: softplus
# expect: less
# np.where computes both branches: exp(z) overflows (and warns) where z is large.
def softplus(z):
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 30, z, np.log1p(np.exp(z)))
