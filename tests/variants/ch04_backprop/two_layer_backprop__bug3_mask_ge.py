# task: two_layer_backprop
# expect: less
# Only planted bug 3 left: the ReLU mask is Z1 >= 0 (the gradient passes at the kink).
def two_layer_backprop(X, y, W1, b1, W2, b2):
    N = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    logits = A1 @ W2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = float(-log_probs[np.arange(N), y].mean())
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), y] -= 1.0
    dlogits /= N
    dW2 = A1.T @ dlogits
    db2 = dlogits.sum(axis=0)
    dA1 = dlogits @ W2.T
    dZ1 = dA1 * (Z1 >= 0)
    dW1 = X.T @ dZ1
    db1 = dZ1.sum(axis=0)
    return loss, dW1, db1, dW2, db2
