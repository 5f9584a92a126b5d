"""The product-photo tagger of chapter 10: a small CNN whose last layer is a ``head``.

- ``build_tagger_cnn(num_classes)``  three conv blocks and a linear ``head`` for
  ``(N, 1, 28, 28)`` images with pixels in ``[0, 1]`` (Fashion-MNIST's white-on-black)
- ``load_pretrained(num_classes=7)``  the network pre-trained on seven Fashion-MNIST
  classes by ``benchmarks/pretrain_fashion7.py`` (weights in ``nncourse/weights/``)
- ``FASHION7_CLASSES``, ``TAGGER_CLASSES``  the original class numbers of the seven
  pre-training classes (relabelled 0..6) and of the three-class tagger (0, 1, 2)

The model takes pixels in ``[0, 1]`` as they are (no standardisation outside it: the
first batch norm does that job), so that an exported model needs nothing but the
preprocessing of :func:`nncourse.shipping.preprocess_photo`. The body ends in a global
average pool, so the ``head`` sees a 64-number summary of the image: what a linear
probe trains on, and what ``nncourse.transfer.replace_head`` replaces.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

WEIGHTS = Path(__file__).resolve().parent / "weights"
PRETRAINED = WEIGHTS / "fashion7_cnn.pt"

# Fashion-MNIST class numbers: T-shirt/top 0, Coat 4, Shirt 6 are the tagger's (new labels 0, 1, 2);
# the other seven are the pre-training classes (new labels 0..6 in this order).
TAGGER_CLASSES = (0, 4, 6)
FASHION7_CLASSES = tuple(c for c in range(10) if c not in TAGGER_CLASSES)   # (1, 2, 3, 5, 7, 8, 9)
TAGGER_NAMES = ("T-shirt/top", "Coat", "Shirt")


class TaggerCNN(nn.Module):
    """``body``: three blocks conv 3x3 (no bias) -> batch norm -> ReLU, the first two followed
    by max-pool 2, then a global average pool; ``head``: ``nn.Linear(width * 4, num_classes)``.

    ``(N, 1, 28, 28)`` -> 28 x 28 -> 14 x 14 -> 7 x 7 feature maps -> ``(N, 4 * width)``
    features -> ``(N, num_classes)`` logits.
    """

    def __init__(self, num_classes: int, width: int = 16):
        super().__init__()
        if num_classes < 1 or width < 1:
            raise ValueError(f"num_classes and width must be >= 1, got {num_classes} and {width}")

        def block(c_in, c_out):
            return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]

        w = width
        self.body = nn.Sequential(*block(1, w), nn.MaxPool2d(2), *block(w, 2 * w), nn.MaxPool2d(2),
                                  *block(2 * w, 4 * w), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(4 * w, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 4 or x.shape[1] != 1:
            raise ValueError(f"x must be (N, 1, H, W), got shape {tuple(x.shape)}")
        return self.head(self.body(x))                  # (N, 1, 28, 28) -> (N, 4w) -> (N, C)


def build_tagger_cnn(num_classes: int, width: int = 16) -> TaggerCNN:
    """A fresh :class:`TaggerCNN` (PyTorch's default initialisation; seed torch first)."""
    return TaggerCNN(num_classes, width)


def load_pretrained(path: Path | str = PRETRAINED, num_classes: int = 7) -> TaggerCNN:
    """The seven-class network with the committed pre-trained weights, in eval mode.

    ``num_classes`` is the head the file holds (7 for ``fashion7_cnn.pt``); give the
    network a new head with ``nncourse.transfer.replace_head``.
    """
    model = build_tagger_cnn(num_classes)
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return model.eval()
