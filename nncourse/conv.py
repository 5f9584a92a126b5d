"""Chapter 6's NumPy convolution, pooling and their gradients: the course's reference.

The chapter derives these functions with formulas and figures and runs its
experiments with them, imported from here *without* showing their source:
most of them are what the exercise asks the student to write.
``benchmarks/conv_numpy_vs_torch.py`` times ``conv2d_forward``. Convolution
here means cross-correlation, as in every deep-learning library: no kernel
flip.

- ``conv_output_size(n, k, stride, padding)``  the output length along one
  side, ``(n + 2p - k) // s + 1``
- ``receptive_field(layers)``  the side of the input region one output unit
  of a stack of ``(kernel, stride)`` layers sees

- ``conv_windows(X, KH, KW, stride, padding)``  all KH x KW windows of the
  zero-padded ``X (N, C, H, W)`` as a view ``(N, C, OH, OW, KH, KW)``
  (no copy: pooling and the backward pass use it)
- ``im2col(X, KH, KW, stride, padding)``  the same windows copied into a
  matrix ``(C * KH * KW, N * OH * OW)``, one slice copy per kernel offset
- ``conv2d_forward(X, W, b, stride, padding)``  ``X (N, C, H, W)``,
  ``W (F, C, KH, KW)``, ``b (F,)`` -> ``(N, F, OH, OW)``, equal to
  ``torch.nn.functional.conv2d``: one matrix product with ``im2col(X)``
- ``conv2d_loops(X, W, b, stride, padding)``  the same with four Python loops
  (the slow reference the chapter times)
- ``conv2d_backward(dout, X, W, stride, padding)``  ``(dX, dW, db)``
- ``maxpool2d_forward(X, k, stride)`` and ``maxpool2d_backward(dout, X, k,
  stride)``  max pooling and its gradient (to the maximum of each window)
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _check_4d(name, A):
    if np.ndim(A) != 4:
        raise ValueError(f"{name} must be (N, C, H, W), got shape {np.shape(A)}")


def _check_conv(X, W, stride, padding):
    _check_4d("X", X)
    if np.ndim(W) != 4 or W.shape[1] != X.shape[1]:
        raise ValueError(f"W must be (F, C, KH, KW) with C = {X.shape[1]} (the channels of X), "
                         f"got shape {np.shape(W)}")
    if stride < 1 or padding < 0:
        raise ValueError(f"need stride >= 1 and padding >= 0, got stride={stride}, padding={padding}")
    if X.shape[2] + 2 * padding < W.shape[2] or X.shape[3] + 2 * padding < W.shape[3]:
        raise ValueError(f"a {W.shape[2]} x {W.shape[3]} kernel does not fit the padded input "
                         f"{X.shape[2] + 2 * padding} x {X.shape[3] + 2 * padding}")


def conv_output_size(n, k, stride=1, padding=0):
    """Positions of a ``k``-wide window along ``n`` values padded by ``padding`` on both ends: an int."""
    if stride < 1 or padding < 0 or k < 1 or n + 2 * padding < k:
        raise ValueError(f"need stride >= 1, padding >= 0 and 1 <= k <= n + 2 * padding, "
                         f"got n={n}, k={k}, stride={stride}, padding={padding}")
    return int((n + 2 * padding - k) // stride + 1)


def receptive_field(layers):
    """Side of the input region one output unit sees, for ``layers`` [(kernel, stride), ...]
    from input to output: ``1 + sum_l (k_l - 1) * prod_{j < l} s_j``."""
    side, jump = 1, 1              # jump: input pixels between neighbouring units of the current layer
    for k, s in layers:
        if k < 1 or s < 1:
            raise ValueError(f"kernels and strides must be >= 1, got (kernel, stride) = ({k}, {s})")
        side += (k - 1) * jump
        jump *= s
    return int(side)


def conv_windows(X, KH, KW, stride=1, padding=0):
    """View of all KH x KW windows of X (N, C, H, W): (N, C, OH, OW, KH, KW)."""
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = sliding_window_view(Xp, (KH, KW), axis=(2, 3))
    return windows[:, :, ::stride, ::stride]


def im2col(X, KH, KW, stride=1, padding=0):
    """Windows of X (N, C, H, W) as columns: (C * KH * KW, N * OH * OW).

    Row (c, u, v) holds pixel (u, v) of channel c of every window. It is
    filled by KH * KW slice copies, one per kernel offset (u, v), each moving
    whole rows of pixels: much faster than copying window by window.
    """
    N, C, H, W_in = X.shape
    OH = (H + 2 * padding - KH) // stride + 1
    OW = (W_in + 2 * padding - KW) // stride + 1
    Xp = np.pad(X.transpose(1, 0, 2, 3),                        # (C, N, H + 2p, W + 2p)
                ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols = np.empty((C, KH, KW, N, OH, OW), dtype=X.dtype)
    for u in range(KH):
        for v in range(KW):
            cols[:, u, v] = Xp[:, :, u:u + stride * OH:stride, v:v + stride * OW:stride]
    return cols.reshape(C * KH * KW, N * OH * OW)


def conv2d_forward(X, W, b, stride=1, padding=0):
    """Convolution of X (N, C, H, W_in) with W (F, C, KH, KW), b (F,) -> (N, F, OH, OW)."""
    N, _, H, W_in = X.shape
    F, _, KH, KW = W.shape
    OH = (H + 2 * padding - KH) // stride + 1
    OW = (W_in + 2 * padding - KW) // stride + 1
    out = W.reshape(F, -1) @ im2col(X, KH, KW, stride, padding)   # (F, C*KH*KW) @ (C*KH*KW, N*OH*OW)
    out += b[:, None]
    return out.reshape(F, N, OH, OW).transpose(1, 0, 2, 3)         # (N, F, OH, OW), a view


def conv2d_loops(X, W, b, stride=1, padding=0):
    """``conv2d_forward`` with four Python loops over images, filters and output positions: slow."""
    _check_conv(X, W, stride, padding)
    N, C, H, W_in = X.shape
    F, _, KH, KW = W.shape
    OH, OW = conv_output_size(H, KH, stride, padding), conv_output_size(W_in, KW, stride, padding)
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.empty((N, F, OH, OW), dtype=np.result_type(X, W, b))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    window = Xp[n, :, i * stride:i * stride + KH, j * stride:j * stride + KW]   # (C, KH, KW)
                    out[n, f, i, j] = np.sum(window * W[f]) + b[f]
    return out


def conv2d_backward(dout, X, W, stride=1, padding=0):
    """Gradients ``(dX, dW, db)`` of ``Y = conv2d_forward(X, W, b, stride, padding)`` given
    ``dout = dL/dY (N, F, OH, OW)``: shaped like ``X (N, C, H, W)``, ``W (F, C, KH, KW)``, ``b (F,)``."""
    _check_conv(X, W, stride, padding)
    N, C, H, W_in = X.shape
    F, _, KH, KW = W.shape
    OH, OW = conv_output_size(H, KH, stride, padding), conv_output_size(W_in, KW, stride, padding)
    if np.shape(dout) != (N, F, OH, OW):
        raise ValueError(f"dout must be (N, F, OH, OW) = {(N, F, OH, OW)}, got shape {np.shape(dout)}")
    db = dout.sum(axis=(0, 2, 3))                                                    # (F,)
    cols = im2col(X, KH, KW, stride, padding)                                       # (C*KH*KW, N*OH*OW)
    d2 = dout.transpose(1, 0, 2, 3).reshape(F, -1)                                  # (F, N*OH*OW)
    dW = (d2 @ cols.T).reshape(W.shape)                                             # (F, C, KH, KW)
    dcols = (W.reshape(F, -1).T @ d2).reshape(C, KH, KW, N, OH, OW)                 # (C*KH*KW, N*OH*OW)
    dXp = np.zeros((C, N, H + 2 * padding, W_in + 2 * padding), dtype=dcols.dtype)
    for u in range(KH):
        for v in range(KW):
            dXp[:, :, u:u + stride * OH:stride, v:v + stride * OW:stride] += dcols[:, u, v]
    dX = dXp[:, :, padding:padding + H, padding:padding + W_in].transpose(1, 0, 2, 3)  # (N, C, H, W)
    return np.ascontiguousarray(dX), dW, db


def _pool_windows(X, k, stride):
    _check_4d("X", X)
    if k < 1 or stride < 1 or X.shape[2] < k or X.shape[3] < k:
        raise ValueError(f"need 1 <= k <= H, W and stride >= 1, got k={k}, stride={stride} "
                         f"for X of shape {X.shape}")
    return conv_windows(X, k, k, stride, 0)                                         # (N, C, OH, OW, k, k)


def maxpool2d_forward(X, k=2, stride=2):
    """Max pooling of ``X (N, C, H, W)`` over ``k x k`` windows every ``stride`` pixels -> ``(N, C, OH, OW)``."""
    return _pool_windows(X, k, stride).max(axis=(4, 5))


def maxpool2d_backward(dout, X, k=2, stride=2):
    """Gradient of ``maxpool2d_forward(X, k, stride)`` given ``dout (N, C, OH, OW)``: shaped like ``X``.
    Each window's gradient goes to the position of its maximum (the first one, if tied);
    where windows overlap, the gradients add up."""
    windows = _pool_windows(X, k, stride)
    N, C, OH, OW = windows.shape[:4]
    if np.shape(dout) != (N, C, OH, OW):
        raise ValueError(f"dout must be (N, C, OH, OW) = {(N, C, OH, OW)}, got shape {np.shape(dout)}")
    flat = windows.reshape(N, C, OH, OW, k * k).argmax(axis=-1)                     # (N, C, OH, OW)
    rows = np.arange(OH)[:, None] * stride + flat // k                              # (N, C, OH, OW)
    cols = np.arange(OW)[None, :] * stride + flat % k
    n, c = np.indices((N, C))
    dX = np.zeros(X.shape, dtype=np.result_type(X, dout))
    np.add.at(dX, (n[:, :, None, None], c[:, :, None, None], rows, cols), dout)
    return dX
