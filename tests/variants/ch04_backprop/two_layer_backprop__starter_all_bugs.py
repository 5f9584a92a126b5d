# task: two_layer_backprop
# expect: zero
# The provided starter, all four planted bugs still there: every case fails.
def two_layer_backprop(X, y, W1, b1, W2, b2):
    """Loss and gradients of logits = relu(X @ W1 + b1) @ W2 + b2 under the mean cross-entropy.

    X: (N, D); y: (N,) labels; W1: (D, H); b1: (H,); W2: (H, C); b2: (C,).
    Returns (loss, dW1, db1, dW2, db2), each gradient shaped like its parameter.
    """
    N = X.shape[0]
    Z1 = X @ W1 + b1                              # (N, H)
    A1 = np.maximum(Z1, 0.0)                      # (N, H)
    logits = A1 @ W2 + b2                         # (N, C)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    loss = float(-log_probs[np.arange(N), y].mean())

    dlogits = np.exp(log_probs)                   # softmax (N, C)
    dlogits[np.arange(N), y] -= 1.0
    dW2 = Z1.T @ dlogits                          # (H, C)
    db2 = dlogits.sum(axis=0)                     # (C,)
    dA1 = dlogits @ W2.T                          # (N, H)
    dZ1 = dA1 * (Z1 >= 0)                         # through the ReLU
    dW1 = X.T @ dZ1                               # (D, H)
    db1 = dZ1.sum(axis=0)                         # (H,)
    return loss, dW1, db1, dW2, db2
