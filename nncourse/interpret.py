"""Interpretability for chapter 10: which pixels does a classifier's answer depend on?

- ``occlusion_map(predict_proba, image, label, patch=4, stride=4, fill=0.0)``  how much the
  true class's probability drops when a square patch of the image is blanked out
- ``saliency(model, image, label)``  ``|d p_label / d x|``, the largest over the channels:
  which pixels would change the probability most if nudged
- ``model_proba(model, device=None)``  a torch classifier as a ``predict_proba`` callable
  (NumPy images in, NumPy probabilities out)
"""

from __future__ import annotations

import numpy as np
import torch


def _check_image(image) -> np.ndarray:
    if hasattr(image, "detach"):
        image = image.detach().cpu().numpy()
    image = np.asarray(image)
    if image.ndim != 3 or not np.issubdtype(image.dtype, np.number):
        raise ValueError(f"image must be a numeric array (C, H, W), got {image.dtype} {image.shape}")
    return image


def _check_label(label) -> int:
    if not isinstance(label, (int, np.integer)) or isinstance(label, bool) or label < 0:
        raise ValueError(f"label must be an int >= 0, got {label!r}")
    return int(label)


def occlusion_map(predict_proba, image, label: int, patch: int = 4, stride: int = 4,
                  fill: float = 0.0, *, batch_size: int = 256) -> np.ndarray:
    """``(OH, OW)``: the true class's probability on ``image`` minus that with one patch blanked.

    ``image (C, H, W)``; ``predict_proba`` maps a batch ``(N, C, H, W)`` to
    probabilities ``(N, K)``. Entry ``(i, j)`` occludes the ``patch x patch`` square
    at ``(i * stride, j * stride)`` in every channel with ``fill``; ``OH = (H - patch)
    // stride + 1``, ``OW = (W - patch) // stride + 1``. A positive entry: the patch
    helped the true class. The occluded copies go to ``predict_proba`` in batches of
    ``batch_size``, as float32 arrays (float64 for a float64 image); ``image`` is
    not modified.
    """
    if not callable(predict_proba):
        raise ValueError(f"predict_proba must be callable (N, C, H, W) -> (N, K), got {type(predict_proba).__name__}")
    image = _check_image(image)
    label = _check_label(label)
    C, H, W = image.shape
    for name, v in (("patch", patch), ("stride", stride), ("batch_size", batch_size)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")
    if patch > H or patch > W:
        raise ValueError(f"patch ({patch}) must fit in the image ({H} x {W})")
    if not np.isfinite(fill):
        raise ValueError(f"fill must be a finite number, got {fill!r}")
    dtype = np.float64 if image.dtype == np.float64 else np.float32
    base = image.astype(dtype)                                            # (C, H, W), a copy
    OH, OW = (H - patch) // stride + 1, (W - patch) // stride + 1

    def proba(batch: np.ndarray) -> np.ndarray:
        p = predict_proba(batch)
        p = p.detach().cpu().numpy() if hasattr(p, "detach") else np.asarray(p)
        if p.ndim != 2 or len(p) != len(batch) or not 0 <= label < p.shape[1]:
            raise ValueError(f"predict_proba must return ({len(batch)}, K) with K > label = {label}, "
                             f"got shape {p.shape}")
        return p[:, label].astype(np.float64)                             # (B,)

    p_true = proba(base[None])[0]
    positions = [(i, j) for i in range(OH) for j in range(OW)]
    drops = np.empty(len(positions))
    for start in range(0, len(positions), batch_size):
        chunk = positions[start:start + batch_size]
        batch = np.repeat(base[None], len(chunk), axis=0)                 # (B, C, H, W)
        for b, (i, j) in enumerate(chunk):
            batch[b, :, i * stride:i * stride + patch, j * stride:j * stride + patch] = fill
        drops[start:start + len(chunk)] = p_true - proba(batch)
    return drops.reshape(OH, OW)


def model_proba(model: torch.nn.Module, device=None):
    """``predict_proba`` for :func:`occlusion_map`: ``softmax(model(x))`` in eval mode, no gradients.

    NumPy ``(N, C, H, W)`` in (sent with the dtype of the model's parameters, on
    ``device``, by default theirs), NumPy ``(N, K)`` float64 out; the model's mode is restored.
    """
    param = next(model.parameters(), None)
    dtype = param.dtype if param is not None else torch.float32
    if device is None and param is not None:
        device = param.device

    @torch.no_grad()
    def predict_proba(X) -> np.ndarray:
        was_training = model.training
        model.eval()
        try:
            x = torch.as_tensor(np.asarray(X), dtype=dtype, device=device)
            return torch.softmax(model(x), dim=1).double().cpu().numpy()   # (N, K)
        finally:
            model.train(was_training)
    return predict_proba


def saliency(model: torch.nn.Module, image, label: int) -> np.ndarray:
    """``(H, W)``: ``|d p_label / d x|``, the largest over the channels, for ``image (C, H, W)``.

    ``p = softmax(model(image[None]))`` in eval mode; the gradient is taken with
    respect to the input only (the parameters' ``.grad`` stay untouched, the
    model's mode is restored). The image goes in with the dtype and on the device of
    the model's parameters.
    """
    image = _check_image(image)
    label = _check_label(label)
    param = next(model.parameters(), None)
    device = param.device if param is not None else "cpu"
    dtype = param.dtype if param is not None else torch.float32
    x = torch.tensor(image, dtype=dtype, device=device)[None].requires_grad_(True)   # (1, C, H, W)
    was_training = model.training
    model.eval()
    try:
        logits = model(x)                                                 # (1, K)
        if logits.ndim != 2 or not label < logits.shape[1]:
            raise ValueError(f"model must give (1, K) logits with K > label = {label}, "
                             f"got shape {tuple(logits.shape)}")
        p = torch.softmax(logits, dim=1)[0, label]
        (grad,) = torch.autograd.grad(p, x)                               # (1, C, H, W)
    finally:
        model.train(was_training)
    return grad[0].abs().amax(dim=0).double().cpu().numpy()              # (H, W)
