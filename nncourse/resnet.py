"""Residual networks for chapter 10: the residual block, its plain twin, and a small ResNet.

- ``ResidualBlock(in_channels, out_channels, stride=1)``  the syllabus's block: two conv 3x3
  with batch norm, plus a shortcut (identity, or conv 1x1 + batch norm when the shape changes)
- ``PlainBlock(in_channels, out_channels, stride=1)``     the same layers without the shortcut
- ``build_resnet(depth, num_classes, width=16, residual=True)``  a CIFAR-style network for
  ``(N, 1, 28, 28)`` images: ``depth = 6n + 2`` weight layers (stem conv, three stages of
  ``n`` blocks at widths ``width, 2 width, 4 width``, a final linear layer ``head``)
- ``gradient_norms(model, x, y)``  per layer, the norm of the gradient of the cross-entropy
  with respect to the layer's weight (the chapter's figure: plain vs residual at initialisation)
"""

from __future__ import annotations

import copy
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn


def _check_channels(in_channels, out_channels, stride) -> None:
    for name, v in (("in_channels", in_channels), ("out_channels", out_channels), ("stride", stride)):
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")


def _check_input(x: torch.Tensor, in_channels: int) -> None:
    if x.ndim != 4 or x.shape[1] != in_channels:
        raise ValueError(f"x must be (N, {in_channels}, H, W), got shape {tuple(x.shape)}")


class PlainBlock(nn.Module):
    """conv 3x3 (stride) -> BN -> ReLU -> conv 3x3 -> BN -> ReLU: a residual block without its shortcut.

    ``(N, C_in, H, W)`` -> ``(N, C_out, ceil(H / stride), ceil(W / stride))``; the same
    parameters as :class:`ResidualBlock` with an identity shortcut.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__()
        _check_channels(in_channels, out_channels, stride)
        self.in_channels = in_channels
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)

    def branch(self, x: torch.Tensor) -> torch.Tensor:
        """The two convolutions, before the final ReLU."""
        out = F.relu(self.bn1(self.conv1(x)))            # (N, C_out, H', W')
        return self.bn2(self.conv2(out))                 # (N, C_out, H', W')

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_input(x, self.in_channels)
        return F.relu(self.branch(x))


class ResidualBlock(PlainBlock):
    """The residual block: ``relu(branch(x) + shortcut(x))``.

    ``shortcut`` is an empty ``nn.Sequential`` (the identity) when ``stride == 1`` and
    the channels agree, else conv 1x1 (that stride, no bias) and batch norm
    (``shortcut.0``, ``shortcut.1``), so that ``x`` gets the branch's shape
    ``(N, C_out, ceil(H / stride), ceil(W / stride))``.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__(in_channels, out_channels, stride)
        if stride == 1 and in_channels == out_channels:
            self.shortcut = nn.Sequential()
        else:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_input(x, self.in_channels)
        return F.relu(self.branch(x) + self.shortcut(x))  # (N, C_out, H', W')


class ResNet(nn.Module):
    """``features`` (stem, three stages, global average pool, flatten) then the linear ``head``.

    ``model.features(x)`` is the ``(N, 4 * width)`` embedding that a linear probe reads.
    """

    def __init__(self, features: nn.Sequential, head: nn.Linear):
        super().__init__()
        self.features = features
        self.head = head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))               # (N, D) -> (N, C)


def build_resnet(depth: int, num_classes: int, width: int = 16, residual: bool = True) -> ResNet:
    """A network of ``depth = 6n + 2`` weight layers for ``(N, 1, 28, 28)`` images -> logits ``(N, C)``.

    Stem: conv 3x3 (1 -> ``width``) -> BN -> ReLU. Three stages of ``n`` blocks
    (:class:`ResidualBlock`, or :class:`PlainBlock` with ``residual=False``) at
    ``width``, ``2 width``, ``4 width`` channels; the first block of stages 2 and 3
    has stride 2 (28 x 28 -> 14 x 14 -> 7 x 7). Global average pool, then ``head``,
    an ``nn.Linear(4 width, num_classes)``. ``depth=20`` gives He et al.'s ResNet-20
    layout. Both variants have the same layers on the main path; the residual one adds
    the two 1x1 projections of the downsampling blocks. Weights use PyTorch's
    default initialisation (seed torch before building). The parameters keep the
    default (contiguous) memory layout: channels-last is about a quarter faster on
    CPUs, but oneDNN's strided 1x1 convolution (the projection shortcut) computes
    its weight gradient wrongly, or corrupts memory, in that layout when the input
    has fewer channels than its SIMD block (uxlfoundation/oneDNN#6035).
    """
    if not isinstance(depth, int) or depth < 8 or (depth - 2) % 6:
        raise ValueError(f"depth must be 6n + 2 with n >= 1 (8, 14, 20, 26, ...), got {depth!r}")
    for name, v in (("num_classes", num_classes), ("width", width)):
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")
    n = (depth - 2) // 6
    block = ResidualBlock if residual else PlainBlock
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    layers["stem"] = nn.Sequential(nn.Conv2d(1, width, 3, padding=1, bias=False),
                                   nn.BatchNorm2d(width), nn.ReLU())
    c_in = width
    for s, c_out in enumerate((width, 2 * width, 4 * width)):
        blocks = [block(c_in if i == 0 else c_out, c_out, stride=2 if (s > 0 and i == 0) else 1)
                  for i in range(n)]
        layers[f"stage{s + 1}"] = nn.Sequential(*blocks)
        c_in = c_out
    layers["pool"] = nn.AdaptiveAvgPool2d(1)                # (N, 4w, 7, 7) -> (N, 4w, 1, 1)
    layers["flatten"] = nn.Flatten()                        # (N, 4w)
    return ResNet(nn.Sequential(layers), nn.Linear(4 * width, num_classes))


def gradient_norms(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                   include_shortcuts: bool = False) -> dict[str, float]:
    """``{layer name: ||dL/dW||}`` for every conv and linear weight, in the order of the layers.

    ``L`` is the mean cross-entropy of ``model(x)`` against the labels ``y``, with the
    model in training mode (batch norm uses the batch's statistics, as in the first
    training step). The computation runs on a copy: ``model``'s ``.grad`` fields and
    batch-norm running statistics are left as they were. The 1x1 projections of
    residual shortcuts are left out unless ``include_shortcuts``, so that a plain
    and a residual network of the same depth give the same names (``depth`` of them
    for :func:`build_resnet`).
    """
    if x.ndim != 4:
        raise ValueError(f"x must be (N, C, H, W), got shape {tuple(x.shape)}")
    if y.ndim != 1 or len(y) != len(x) or y.dtype != torch.long:
        raise ValueError(f"y must be int64 labels (N,) with N = {len(x)}, got {y.dtype} {tuple(y.shape)}")
    work = copy.deepcopy(model).train()
    layers = [(name, m) for name, m in work.named_modules()
              if isinstance(m, (nn.Conv2d, nn.Linear))
              and (include_shortcuts or ".shortcut." not in f".{name}.")]
    if not layers:
        raise ValueError("model has no conv or linear layer")
    loss = F.cross_entropy(work(x), y)
    grads = torch.autograd.grad(loss, [m.weight for _, m in layers])
    return {f"{name}.weight": g.norm().item() for (name, _), g in zip(layers, grads)}
