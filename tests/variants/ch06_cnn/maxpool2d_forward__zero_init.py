# task: maxpool2d_forward
# expect: less
# Loops with a running maximum that starts at 0: wrong when a whole window is negative.
def maxpool2d_forward(X, k=2, stride=2):
    N, C, H, W = X.shape
    OH, OW = (H - k) // stride + 1, (W - k) // stride + 1
    out = np.zeros((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            for u in range(k):
                for v in range(k):
                    out[:, :, i, j] = np.maximum(out[:, :, i, j], X[:, :, i * stride + u, j * stride + v])
    return out
