# task: maxpool2d_forward
# expect: full
# The running maximum over the k * k offsets, each a strided slice of the
# whole batch, starting from the first offset (not from 0).
def maxpool2d_forward(X, k=2, stride=2):
    OH = (X.shape[2] - k) // stride + 1
    OW = (X.shape[3] - k) // stride + 1
    out = None
    for u in range(k):
        for v in range(k):
            part = X[:, :, u:u + stride * OH:stride, v:v + stride * OW:stride]   # (N, C, OH, OW)
            out = part.copy() if out is None else np.maximum(out, part)
    return out
