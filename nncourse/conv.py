"""Chapter 6's vectorised NumPy convolution, in one place.

The chapter shows this code (``literalinclude``) and imports it from here, so
that ``benchmarks/conv_numpy_vs_torch.py`` times exactly what the chapter
teaches. Convolution here means cross-correlation, as in every deep-learning
library: no kernel flip.

- ``conv_windows(X, KH, KW, stride, padding)``  all KH x KW windows of the
  zero-padded ``X (N, C, H, W)`` as a view ``(N, C, OH, OW, KH, KW)``
  (no copy: pooling and the backward pass use it)
- ``im2col(X, KH, KW, stride, padding)``  the same windows copied into a
  matrix ``(C * KH * KW, N * OH * OW)``, one slice copy per kernel offset
- ``conv2d_forward(X, W, b, stride, padding)``  ``X (N, C, H, W)``,
  ``W (F, C, KH, KW)``, ``b (F,)`` -> ``(N, F, OH, OW)``, equal to
  ``torch.nn.functional.conv2d``: one matrix product with ``im2col(X)``
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


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
