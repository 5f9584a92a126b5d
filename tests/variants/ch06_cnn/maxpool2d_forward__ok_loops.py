# task: maxpool2d_forward
# expect: full
# Plain loops over the output positions, the maximum of each window slice.
def maxpool2d_forward(X, k=2, stride=2):
    N, C, H, W = X.shape
    OH, OW = (H - k) // stride + 1, (W - k) // stride + 1
    out = np.empty((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            out[:, :, i, j] = X[:, :, i * stride:i * stride + k, j * stride:j * stride + k].max(axis=(2, 3))
    return out
