"""Data augmentation for chapter 10: random crops and mirror images, and a loader that applies them.

- ``random_crop_flip(X, rng, pad=2)``  every image shifted by up to ``pad`` pixels (zeros
  come in at the border) and mirrored left-right with probability 1/2
- ``to_tensor(X)``                      uint8 images ``(N, H, W)`` or ``(N, C, H, W)`` -> float32
  tensor ``(N, C, H, W)`` in [0, 1]
- ``AugmentedLoader(X, y, batch_size, rng, pad=2, augment=True)``  mini-batches for
  ``nncourse.training.fit``: a new shuffle and new crops and flips every epoch, drawn
  from ``rng``; ``augment=False`` gives the same batches without augmentation (the ablation)
"""

from __future__ import annotations

import math

import numpy as np
import torch


def _check_images(X, name: str = "X") -> np.ndarray:
    X = np.asarray(X)
    if X.ndim != 4:
        raise ValueError(f"{name} must be (N, C, H, W), got shape {X.shape}")
    return X


def _check_rng(rng) -> None:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}")


def random_crop_flip(X, rng: np.random.Generator, pad: int = 2) -> np.ndarray:
    """A new array like ``X (N, C, H, W)``: each image randomly shifted and maybe mirrored.

    For each image in order: ``dy = rng.integers(0, 2*pad+1)``, ``dx = rng.integers(0,
    2*pad+1)``, ``flip = rng.random() < 0.5``; the image padded with zeros by ``pad``
    on every side is cropped to ``H x W`` at ``(dy, dx)``, then mirrored left-right if
    ``flip``. The dtype is kept; ``X`` is not modified.
    """
    X = _check_images(X)
    _check_rng(rng)
    if not isinstance(pad, (int, np.integer)) or isinstance(pad, bool) or pad < 0:
        raise ValueError(f"pad must be an int >= 0, got {pad!r}")
    N, C, H, W = X.shape
    padded = np.pad(X, ((0, 0), (0, 0), (pad, pad), (pad, pad)))   # (N, C, H + 2 pad, W + 2 pad)
    out = np.empty_like(X)
    for i in range(N):
        dy = rng.integers(0, 2 * pad + 1)
        dx = rng.integers(0, 2 * pad + 1)
        flip = rng.random() < 0.5
        crop = padded[i, :, dy:dy + H, dx:dx + W]                  # (C, H, W)
        out[i] = crop[:, :, ::-1] if flip else crop
    return out


def to_tensor(X) -> torch.Tensor:
    """Images as a float32 tensor ``(N, C, H, W)``: uint8 divided by 255, floats kept as they are.

    A stack of greyscale images ``(N, H, W)`` (as ``nncourse.datasets.fashion_mnist``
    returns them) gets a channel axis: ``(N, 1, H, W)``.
    """
    X = np.asarray(X)
    if X.ndim == 3:
        X = X[:, None]                                               # (N, 1, H, W)
    X = _check_images(X)
    if X.dtype == np.uint8:
        return torch.from_numpy(X.astype(np.float32) / 255.0)
    if not np.issubdtype(X.dtype, np.floating):
        raise ValueError(f"X must be uint8 or floating point, got {X.dtype}")
    return torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))


class AugmentedLoader:
    """Shuffled mini-batches ``(x float32 (B, C, H, W), y int64 (B,))``, augmented anew every epoch.

    ``X``: uint8 ``(N, H, W)`` or ``(N, C, H, W)`` images (or floats, kept as they are);
    ``y``: labels ``(N,)``. Each pass (epoch) draws a permutation from ``rng``, then the
    crops and flips of each batch with :func:`random_crop_flip` (zeros = black border,
    Fashion-MNIST's background). ``augment=False`` gives the same kind of batches
    without augmentation, for the ablation. Usable wherever ``fit`` expects a loader.
    """

    def __init__(self, X, y, batch_size: int, rng: np.random.Generator, pad: int = 2,
                 augment: bool = True, shuffle: bool = True):
        X = np.asarray(X)
        if X.ndim == 3:
            X = X[:, None]                                           # (N, 1, H, W)
        self.X = _check_images(X)
        self.y = np.asarray(y)
        if self.y.shape != (len(self.X),) or not np.issubdtype(self.y.dtype, np.integer):
            raise ValueError(f"y must be integer labels ({len(self.X)},), got {self.y.dtype} {self.y.shape}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        _check_rng(rng)
        if not isinstance(pad, int) or pad < 0:
            raise ValueError(f"pad must be an int >= 0, got {pad!r}")
        self.batch_size, self.rng, self.pad = batch_size, rng, pad
        self.augment, self.shuffle = augment, shuffle

    def __len__(self) -> int:
        return math.ceil(len(self.X) / self.batch_size)

    def __iter__(self):
        order = self.rng.permutation(len(self.X)) if self.shuffle else np.arange(len(self.X))
        for start in range(0, len(order), self.batch_size):
            idx = order[start:start + self.batch_size]
            xb = self.X[idx]                                         # (B, C, H, W)
            if self.augment:
                xb = random_crop_flip(xb, self.rng, self.pad)
            yield to_tensor(xb), torch.from_numpy(self.y[idx].astype(np.int64))
