# task: mlp_loss_and_grads
# expect: less
# The ReLU mask uses Z >= 0: wrong only where a pre-activation is exactly 0.
def mlp_loss_and_grads(X, y, params):
    N = X.shape[0]
    inputs, pre, A = [], [], X
    for i, (W, b) in enumerate(params):
        inputs.append(A)
        Z = A @ W + b
        pre.append(Z)
        A = np.maximum(Z, 0.0) if i < len(params) - 1 else Z
    E = np.exp(A - A.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    loss = float(-np.log(P[np.arange(N), y]).mean())
    dZ = P.copy()
    dZ[np.arange(N), y] -= 1.0
    dZ /= N
    grads = [None] * len(params)
    for i in reversed(range(len(params))):
        grads[i] = (inputs[i].T @ dZ, dZ.sum(axis=0))
        if i > 0:
            dZ = (dZ @ params[i][0].T) * (pre[i - 1] >= 0)
    return loss, grads
