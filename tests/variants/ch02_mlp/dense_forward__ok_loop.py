# task: dense_forward
# expect: full
# One neuron and one sample at a time: slow, equally correct.
def dense_forward(X, W, b):
    N, M = X.shape[0], W.shape[1]
    Z = np.empty((N, M))
    for n in range(N):
        for j in range(M):
            Z[n, j] = np.dot(X[n], W[:, j]) + b[j]
    return Z
