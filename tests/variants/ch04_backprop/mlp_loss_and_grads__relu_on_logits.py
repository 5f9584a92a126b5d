# task: mlp_loss_and_grads
# expect: less
# A ReLU after every layer, the last one included.
def mlp_loss_and_grads(X, y, params):
    N = X.shape[0]
    inputs, pre, A = [], [], X
    for W, b in params:
        inputs.append(A)
        Z = A @ W + b
        pre.append(Z)
        A = np.maximum(Z, 0.0)
    E = np.exp(A - A.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    loss = float(-np.log(P[np.arange(N), y]).mean())
    dA = P.copy()
    dA[np.arange(N), y] -= 1.0
    dA /= N
    grads = []
    for i in reversed(range(len(params))):
        dZ = dA * (pre[i] > 0)
        grads.insert(0, (inputs[i].T @ dZ, dZ.sum(axis=0)))
        dA = dZ @ params[i][0].T
    return loss, grads
