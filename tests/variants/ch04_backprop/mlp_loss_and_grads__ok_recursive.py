# task: mlp_loss_and_grads
# expect: full
# Correct, written recursively: each call handles one layer and the rest of the network.
def mlp_loss_and_grads(X, y, params):
    N = X.shape[0]

    def layer(A, k):
        W, b = params[k]
        Z = A @ W + b
        if k == len(params) - 1:
            P = np.exp(Z - Z.max(axis=1, keepdims=True))
            P /= P.sum(axis=1, keepdims=True)
            loss = -np.mean(np.log(P[np.arange(N), y]))
            dZ = P.copy()
            dZ[np.arange(N), y] -= 1
            dZ /= N
            return loss, dZ @ W.T, [(A.T @ dZ, dZ.sum(0))]
        loss, dH, rest = layer(np.maximum(Z, 0), k + 1)
        dZ = np.where(Z > 0, dH, 0.0)
        return loss, dZ @ W.T, [(A.T @ dZ, dZ.sum(0))] + rest

    loss, _, grads = layer(X, 0)
    return float(loss), grads
