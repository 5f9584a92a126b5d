# task: tiny_cnn_forward
# expect: less
# Bug 1 left: the channels-last images are reshaped to (N, C, H, W), which scrambles pixels and channels.
def tiny_cnn_forward(images, W1, b1, W2, b2):
    """Logits (N, M) of a tiny CNN for channels-last images (N, H, W, C), H and W even:
    'same' convolution (stride 1, padding K // 2) with W1 (F, C, K, K) and b1 (F,), ReLU,
    2 x 2 max pooling with stride 2, flattening in nn.Flatten's order (channel, row, column
    of the (N, F, H // 2, W // 2) maps), then a dense layer W2 (F * H // 2 * W // 2, M), b2 (M,)."""
    N, H, W_in, C = images.shape
    F_out, _, K, _ = W1.shape
    p = K // 2
    X = images.reshape(N, C, H, W_in)                                   # (N, C, H, W)
    Xp = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)))                    # (N, C, H + 2p, W + 2p)
    Z = np.zeros((N, F_out, H, W_in)) + b1[:, None, None]               # (N, F, H, W)
    for u in range(K):
        for v in range(K):
            # output (i, j) sees the padded input at (i + u, j + v) through W1[:, :, u, v]
            Z += np.einsum("nchw,fc->nfhw", Xp[:, :, u:u + H, v:v + W_in], W1[:, :, u, v])   # bug 2 fixed
    A = np.maximum(Z, 0.0)                                              # ReLU
    PH, PW = H // 2, W_in // 2
    P = A.reshape(N, F_out, PH, 2, PW, 2).max(axis=(3, 5))              # bug 3 fixed: (N, F, PH, PW)
    flat = P.reshape(N, -1)                                             # bug 4 fixed: (N, F * PH * PW)
    return flat @ W2 + b2                                               # (N, M)
