# task: maxpool2d_backward
# expect: less
# Upsamples dout with np.repeat but forgets the mask of the maxima: every pixel gets its window's gradient.
def maxpool2d_backward(dout, X, k=2, stride=2):
    up = dout.repeat(k, axis=2).repeat(k, axis=3)
    dX = np.zeros(X.shape)
    h, w = min(up.shape[2], X.shape[2]), min(up.shape[3], X.shape[3])
    dX[:, :, :h, :w] = up[:, :, :h, :w]
    return dX
