# task: batchnorm_forward
# expect: less
# Forgets gamma and beta.
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    return (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
