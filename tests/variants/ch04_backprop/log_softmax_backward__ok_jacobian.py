# task: log_softmax_backward
# expect: full
# Correct, the long way: builds the (..., C, C) matrix of local derivatives [i == k] - softmax_k and
# contracts dout with it (a vector-Jacobian product), via the log-sum-exp.
def log_softmax_backward(dout, Z):
    m = Z.max(axis=-1, keepdims=True)
    lse = m + np.log(np.exp(Z - m).sum(axis=-1, keepdims=True))     # (..., 1)
    P = np.exp(Z - lse)                                              # (..., C)
    C = Z.shape[-1]
    J = np.eye(C) - P[..., None, :]                                  # (..., C, C): d l_i / d z_k
    return np.einsum("...i,...ik->...k", dout, J)
