# task: mlp_loss_and_grads
# expect: full
# Correct, built on the graded functions of the earlier answer cells (they run in the same namespace).
def mlp_loss_and_grads(X, y, params):
    cache = []
    A = X
    for i, (W, b) in enumerate(params):
        Z = A @ W + b
        cache.append((A, Z))
        A = np.maximum(Z, 0.0) if i < len(params) - 1 else Z
    m = A.max(axis=1, keepdims=True)
    logp = A - m - np.log(np.exp(A - m).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(len(y)), y].mean()
    grads = []
    dout = softmax_cross_entropy_backward(A, y)
    for i in range(len(params) - 1, -1, -1):
        A_in, Z = cache[i]
        if i < len(params) - 1:
            dout = relu_backward(dout, Z)
        dout, dW, db = dense_backward(dout, A_in, params[i][0])
        grads.insert(0, (dW, db))
    return loss, grads
