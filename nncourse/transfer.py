"""Transfer learning for chapter 10: a new head, frozen or fine-tuned body, and the class split.

The chapter pre-trains on the seven Fashion-MNIST classes that are not tops
(``PRETRAIN_CLASSES``) and adapts the network to the three it left out
(``TARGET_CLASSES``: T-shirt/top 0, Coat 4, Shirt 6 -> new labels 0, 1, 2).

- ``replace_head(model, num_classes, freeze=True)``  a new ``model.head``; with ``freeze`` only it trains
- ``split_classes(X, y, classes)``                    the examples of ``classes``, relabelled 0, 1, ...
- ``labelled_indices(y, per_class, rng)`` / ``labelled_subset(X, y, per_class, rng)``
  ``per_class`` random examples of every class (a small labelled training set)
- ``head_inputs(model, X)``                           what ``model.head`` reads: the frozen features
  a linear probe is trained on, computed once
- ``finetune_optimizer(model, lr, body_lr, weight_decay=0.0)``  AdamW with the head at ``lr``
  and the rest of the network (the body) at the smaller ``body_lr``
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
TARGET_CLASSES = (0, 4, 6)                      # T-shirt/top, Coat, Shirt
TARGET_NAMES = tuple(FASHION_CLASSES[c] for c in TARGET_CLASSES)
PRETRAIN_CLASSES = tuple(c for c in range(10) if c not in TARGET_CLASSES)   # (1, 2, 3, 5, 7, 8, 9)


def _head(model: nn.Module) -> nn.Linear:
    head = getattr(model, "head", None)
    if not isinstance(head, nn.Linear):
        raise ValueError(f"model must have a final nn.Linear attribute named 'head', "
                         f"got {type(head).__name__ if head is not None else 'no head'}")
    return head


def _positive_int(name: str, v) -> None:
    if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 1:
        raise ValueError(f"{name} must be a positive int, got {v!r}")


def replace_head(model: nn.Module, num_classes: int, freeze: bool = True) -> list[nn.Parameter]:
    """Replace ``model.head`` in place by ``nn.Linear(head.in_features, num_classes)``.

    The new head is created on the old one's device and dtype, with PyTorch's
    default initialisation (seed torch first). With ``freeze``, every other
    parameter gets ``requires_grad = False`` (the linear probe); without it nothing
    else changes (fine-tuning). Returns the parameters that now require a gradient.
    """
    old = _head(model)
    _positive_int("num_classes", num_classes)
    if freeze:
        model.requires_grad_(False)
    model.head = nn.Linear(old.in_features, int(num_classes), bias=old.bias is not None,
                           device=old.weight.device, dtype=old.weight.dtype)
    return [p for p in model.parameters() if p.requires_grad]


def _check_labelled(X, y) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X), np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be integer labels (N,), got {y.dtype} {y.shape}")
    if X.ndim < 1 or len(X) != len(y):
        raise ValueError(f"X must have one example per label ({len(y)}), got shape {X.shape}")
    return X, y


def split_classes(X, y, classes) -> tuple[np.ndarray, np.ndarray]:
    """``(X[keep], new labels)``: the examples whose label is in ``classes``, in their order.

    The new label of an example is the position of its old label in ``classes``:
    ``split_classes(X, y, TARGET_CLASSES)`` maps T-shirt/top (0) -> 0, Coat (4) -> 1,
    Shirt (6) -> 2. Labels are int64.
    """
    X, y = _check_labelled(X, y)
    classes = [int(c) for c in classes]
    if not classes or len(set(classes)) != len(classes):
        raise ValueError(f"classes must be distinct labels, at least one, got {classes}")
    lookup = {c: i for i, c in enumerate(classes)}
    keep = np.isin(y, classes)
    new = np.array([lookup[int(c)] for c in y[keep]], dtype=np.int64)
    return X[keep], new


def labelled_indices(y, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of ``per_class`` examples of every class in ``y``, drawn without replacement.

    Classes are visited in increasing order; for each, ``rng.choice`` picks
    ``per_class`` of its indices.
    """
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be integer labels (N,), got {y.dtype} {y.shape}")
    _positive_int("per_class", per_class)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    chosen = []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        if len(idx) < per_class:
            raise ValueError(f"class {c} has {len(idx)} examples, fewer than per_class = {per_class}")
        chosen.append(rng.choice(idx, size=per_class, replace=False))
    return np.sort(np.concatenate(chosen))


def labelled_subset(X, y, per_class: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``(X[idx], y[idx])`` for ``idx = labelled_indices(y, per_class, rng)``: a balanced small set."""
    X, y = _check_labelled(X, y)
    idx = labelled_indices(y, per_class, rng)
    return X[idx], y[idx]


@torch.no_grad()
def head_inputs(model: nn.Module, X: torch.Tensor, batch_size: int = 512) -> torch.Tensor:
    """The ``(N, D)`` inputs of ``model.head`` for images ``X``, in eval mode, without gradients.

    A frozen body gives the same features every epoch, so a linear probe can be
    trained on these once computed. The model's train/eval mode is restored.
    """
    head = _head(model)
    if not isinstance(X, torch.Tensor) or X.ndim < 2:
        raise ValueError(f"X must be a tensor (N, ...) of model inputs, got {type(X).__name__}")
    _positive_int("batch_size", batch_size)
    seen: list[torch.Tensor] = []
    hook = head.register_forward_hook(lambda module, inputs, output: seen.append(inputs[0]))
    was_training = model.training
    model.eval()
    try:
        for start in range(0, len(X), batch_size):
            model(X[start:start + batch_size])
    finally:
        hook.remove()
        model.train(was_training)
    return torch.cat(seen) if seen else torch.empty(0, head.in_features)     # (N, D)


def finetune_optimizer(model: nn.Module, lr: float = 1e-3, body_lr: float = 1e-4,
                       weight_decay: float = 0.0) -> torch.optim.AdamW:
    """AdamW with two parameter groups: ``model.head`` at ``lr``, the body at ``body_lr``.

    The body (every parameter outside the head) starts from pre-trained weights
    that already work: a smaller step keeps them from being wrecked by the first
    large gradients of the new head. Frozen parameters (``requires_grad`` False)
    are left out; a group with no parameters is not created.
    """
    head = _head(model)
    for name, v in (("lr", lr), ("body_lr", body_lr)):
        if not (isinstance(v, (int, float)) and v > 0):
            raise ValueError(f"{name} must be a positive number, got {v!r}")
    head_ids = {id(p) for p in head.parameters()}
    groups = [
        {"params": [p for p in head.parameters() if p.requires_grad], "lr": lr},
        {"params": [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids],
         "lr": body_lr},
    ]
    groups = [g for g in groups if g["params"]]
    if not groups:
        raise ValueError("model has no trainable parameter")
    return torch.optim.AdamW(groups, lr=lr, weight_decay=weight_decay)
