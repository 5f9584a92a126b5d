# task: softplus
# expect: less
# The formula as written: exp overflows for large z, and 1 + exp(z) rounds to 1 for very negative z.
def softplus(z):
    return np.log(1 + np.exp(z))
