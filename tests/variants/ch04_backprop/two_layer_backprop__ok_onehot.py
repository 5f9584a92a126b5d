# task: two_layer_backprop
# expect: full
# Correct, written differently: one-hot targets, np.logaddexp.reduce for the log-sum-exp, np.where for
# the ReLU, einsum for the products; returns a list and the loss as a NumPy float.
def two_layer_backprop(X, y, W1, b1, W2, b2):
    N, C = X.shape[0], W2.shape[1]
    T = np.eye(C)[y]                                          # (N, C) one-hot
    Z1 = np.einsum("nd,dh->nh", X, W1) + b1
    A1 = np.where(Z1 > 0, Z1, 0.0)
    logits = np.einsum("nh,hc->nc", A1, W2) + b2
    lse = np.logaddexp.reduce(logits, axis=1, keepdims=True)  # (N, 1)
    loss = np.mean(lse[:, 0] - (logits * T).sum(axis=1))
    G = (np.exp(logits - lse) - T) / N                        # dL/dlogits
    dZ1 = np.where(Z1 > 0, np.einsum("nc,hc->nh", G, W2), 0.0)
    return [loss, np.einsum("nd,nh->dh", X, dZ1), dZ1.sum(axis=0), np.einsum("nh,nc->hc", A1, G), G.sum(axis=0)]
