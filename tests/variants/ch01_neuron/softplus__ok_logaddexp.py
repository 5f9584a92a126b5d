# task: softplus
# expect: full
# log(1 + e^z) = log(e^0 + e^z): NumPy's logaddexp; a 0-d input gives a NumPy scalar, which is fine.
def softplus(z):
    return np.logaddexp(0.0, z)
