"""Simulated "uploads": Fashion-MNIST images turned into something like product photos.

These are SIMULATED photos, not real ones: chapter 10 has no photos of its own, so it
makes new-looking images out of held-out Fashion-MNIST images with a documented capture
pipeline, to show what happens to a model when its inputs no longer look like its
training set (distribution shift), and what preprocessing recovers.

- ``simulate_upload(image, rng)``  one ``(28, 28)`` uint8 image -> an RGB photo
  ``(S, S, 3)`` uint8, ``S`` between about 130 and 230 pixels
- ``simulated_uploads(X, rng)``    the same for each image of ``X (N, 28, 28)``, in order
  (a list: the sizes differ)

The capture pipeline, with its draws from ``rng`` in this order:

1. ``scale = rng.uniform(3, 5)``: the item is enlarged (bicubic) to ``round(28 * scale)``
   pixels, as a photo has more pixels than 28 x 28;
2. ``angle = rng.uniform(-8, 8)`` degrees: rotated (bilinear), as a hand-held phone is
   never quite straight;
3. ``room = rng.uniform(1.2, 1.6)``: the canvas side is ``room`` times the item's, so
   there is background around it;
4. ``level = rng.uniform(200, 240)``: the background is light grey (a white sheet
   under room light), with a slight warm tint (R, G, B times 1, 0.97, 0.92), a linear
   lighting gradient of ``rng.uniform(-12, 12)`` grey levels across it, and Gaussian
   sensor noise of standard deviation 3;
5. the item is placed off-centre: its top-left corner at ``rng.integers`` positions
   anywhere on the canvas where it fits whole;
6. the item darkens the background where Fashion-MNIST is bright: a pixel is
   ``background * (1 - ink / 255)`` (dark item on light, as the original product photo
   was before Fashion-MNIST inverted it);
7. JPEG compression at quality 70 (PIL), decoded again: the blocky artefacts of an
   upload.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

TINT = np.array([1.0, 0.97, 0.92])
NOISE_STD = 3.0
JPEG_QUALITY = 70


def _check_image(image) -> np.ndarray:
    a = np.asarray(image)
    if a.shape != (28, 28) or a.dtype != np.uint8:
        raise ValueError(f"image must be a (28, 28) uint8 Fashion-MNIST image, got {a.dtype} array of shape {a.shape}")
    return a


def simulate_upload(image, rng: np.random.Generator) -> np.ndarray:
    """The capture pipeline of this module's docstring applied to one Fashion-MNIST image
    ``(28, 28)`` uint8 (bright item on black) -> an RGB photo ``(S, S, 3)`` uint8 (dark
    item on a light, noisy background, off-centre, rotated, JPEG-compressed)."""
    ink = Image.fromarray(_check_image(image))
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    scale = rng.uniform(3, 5)
    angle = rng.uniform(-8, 8)
    room = rng.uniform(1.2, 1.6)
    level = rng.uniform(200, 240)
    gradient = rng.uniform(-12, 12)
    side = int(round(28 * scale))
    ink = ink.resize((side, side), Image.Resampling.BICUBIC)
    ink = ink.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=0)
    ink = np.asarray(ink, dtype=np.float64) / 255                          # (h, w) in [0, 1]
    h, w = ink.shape
    S = int(round(max(h, w) * room))
    top, left = int(rng.integers(0, S - h + 1)), int(rng.integers(0, S - w + 1))
    light = level + gradient * np.linspace(-0.5, 0.5, S)[None, :]          # (1, S) lighting from left to right
    grey = np.broadcast_to(light, (S, S)) + rng.normal(0, NOISE_STD, (S, S))  # (S, S)
    cover = np.zeros((S, S))
    cover[top:top + h, left:left + w] = ink
    grey = grey * (1 - cover)                                              # the item darkens the background
    rgb = np.clip(grey[..., None] * TINT, 0, 255).round().astype(np.uint8)  # (S, S, 3)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=JPEG_QUALITY)
    buf.seek(0)
    with Image.open(buf) as decoded:
        return np.asarray(decoded.convert("RGB"))                          # (S, S, 3) uint8


def simulated_uploads(X, rng: np.random.Generator) -> list[np.ndarray]:
    """:func:`simulate_upload` of each image of ``X (N, 28, 28)`` uint8, in order, with
    the same ``rng`` (so image ``i``'s photo depends on the images before it)."""
    X = np.asarray(X)
    if X.ndim != 3 or X.shape[1:] != (28, 28) or X.dtype != np.uint8:
        raise ValueError(f"X must be (N, 28, 28) uint8, got {X.dtype} array of shape {X.shape}")
    return [simulate_upload(x, rng) for x in X]
