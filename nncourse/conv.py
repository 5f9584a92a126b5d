"""Chapter 6's vectorised NumPy convolution, in one place.

The chapter shows this code (``literalinclude``) and imports it from here, so
that ``benchmarks/conv_numpy_vs_torch.py`` times exactly what the chapter
teaches. Convolution here means cross-correlation, as in every deep-learning
library: no kernel flip.

- ``conv_windows(X, KH, KW, stride, padding)``  all KH x KW windows of the
  zero-padded ``X (N, C, H, W)`` as a view ``(N, C, OH, OW, KH, KW)``
- ``conv2d_forward(X, W, b, stride, padding)``  ``X (N, C, H, W)``,
  ``W (F, C, KH, KW)``, ``b (F,)`` -> ``(N, F, OH, OW)``, equal to
  ``torch.nn.functional.conv2d``
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_windows(X, KH, KW, stride=1, padding=0):
    """View of all KH x KW windows of X (N, C, H, W): (N, C, OH, OW, KH, KW)."""
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = sliding_window_view(Xp, (KH, KW), axis=(2, 3))
    return windows[:, :, ::stride, ::stride]


def conv2d_forward(X, W, b, stride=1, padding=0):
    """Convolution of X (N, C, H, W_in) with W (F, C, KH, KW), b (F,) -> (N, F, OH, OW)."""
    windows = conv_windows(X, W.shape[2], W.shape[3], stride, padding)
    out = np.tensordot(windows, W, axes=([1, 4, 5], [1, 2, 3]))  # (N, OH, OW, F)
    return out.transpose(0, 3, 1, 2) + b[:, None, None]
