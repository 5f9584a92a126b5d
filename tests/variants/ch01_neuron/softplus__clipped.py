# task: softplus
# expect: less
# Clipping z before exp caps the result at about 700 for larger z.
def softplus(z):
    return np.log1p(np.exp(np.clip(z, -745.0, 700.0)))
