"""Checkpoints: save a training run and resume it exactly where it stopped.

A run's state is more than its weights. To continue as if nothing had
happened, a resumed run also needs the optimiser's state (Adam's moment
estimates and step counts), the learning-rate schedule's position, the step
number, and the state of every random number generator that the remaining
steps will draw from (the batches, dropout).

- ``save_checkpoint(path, model, optimizer, step, scheduler=None, generator=None, **extra)``
- ``load_checkpoint(path, model, optimizer=None, scheduler=None, generator=None)`` -> the
  saved dict (``step``, ``extra``), after restoring everything it was given

The file is written to a temporary name and renamed, so a crash during the
save never leaves a truncated checkpoint behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
from torch import nn


def unwrap(model: nn.Module) -> nn.Module:
    """The plain module inside a ``DistributedDataParallel`` (``.module``) or a
    ``torch.compile`` wrapper (``._orig_mod``): its state dict has the plain names."""
    while True:
        if hasattr(model, "_orig_mod"):
            model = model._orig_mod
        elif isinstance(model, nn.parallel.DistributedDataParallel):
            model = model.module
        else:
            return model


def save_checkpoint(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer,
                    step: int, scheduler=None, generator: torch.Generator | None = None,
                    **extra) -> Path:
    """Save the state needed to resume training after ``step`` steps to ``path``.

    Stores the model's and optimiser's state dicts, the scheduler's (if any),
    the state of ``generator`` (the one that draws the batches, if any), the
    global CPU and CUDA random states, and ``extra`` (plain Python values).
    """
    path = Path(path)
    state = {
        "step": int(step),
        "model": unwrap(model).state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict() if scheduler is not None else None,
        "generator": generator.get_state() if generator is not None else None,
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        "extra": extra,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)                      # atomic: the old checkpoint or the new, never half
    return path


def load_checkpoint(path: str | os.PathLike, model: nn.Module,
                    optimizer: torch.optim.Optimizer | None = None, scheduler=None,
                    generator: torch.Generator | None = None,
                    map_location: str | torch.device | None = None) -> dict:
    """Restore what :func:`save_checkpoint` saved into the objects given; returns the saved dict.

    Build the model, optimiser and scheduler exactly as for a fresh run first;
    loading then overwrites their state. ``map_location`` moves the tensors
    (e.g. a checkpoint saved on a GPU, loaded on a CPU).
    """
    state = torch.load(path, map_location=map_location, weights_only=True)
    unwrap(model).load_state_dict(state["model"])
    if optimizer is not None:
        optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None:
        if state["scheduler"] is None:
            raise ValueError(f"{path} has no scheduler state")
        scheduler.load_state_dict(state["scheduler"])
    if generator is not None:
        if state["generator"] is None:
            raise ValueError(f"{path} has no generator state")
        generator.set_state(state["generator"].cpu())   # RNG states live on the host
    torch.set_rng_state(state["torch_rng"].cpu())
    if state["cuda_rng"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in state["cuda_rng"]])
    return state
