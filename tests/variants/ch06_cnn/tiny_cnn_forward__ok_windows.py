# task: tiny_cnn_forward
# expect: full
# A different fix: windows view + tensordot for the convolution, pooling as the maximum of four strided slices.
from numpy.lib.stride_tricks import sliding_window_view


def tiny_cnn_forward(images, W1, b1, W2, b2):
    N, H, W_in, C = images.shape
    K = W1.shape[2]
    p = K // 2
    Xp = np.pad(images, ((0, 0), (p, p), (p, p), (0, 0)))                       # channels-last, padded
    win = sliding_window_view(Xp, (K, K), axis=(1, 2))                         # (N, H, W, C, K, K)
    Z = np.tensordot(win, W1, axes=([3, 4, 5], [1, 2, 3])) + b1                # (N, H, W, F)
    A = np.maximum(Z, 0.0).transpose(0, 3, 1, 2)                               # (N, F, H, W)
    P = np.maximum(np.maximum(A[:, :, 0::2, 0::2], A[:, :, 0::2, 1::2]),
                   np.maximum(A[:, :, 1::2, 0::2], A[:, :, 1::2, 1::2]))        # (N, F, H/2, W/2)
    return P.reshape(N, -1) @ W2 + b2
