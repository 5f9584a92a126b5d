# task: softplus
# expect: less
# Accurate for negative z, but exp(z) still overflows for z above about 709.
def softplus(z):
    return np.log1p(np.exp(z))
