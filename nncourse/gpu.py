"""Training on an accelerator: the measurements and training steps of chapter 9.

Nothing here needs a GPU: every function runs on the CPU, and does the same
thing on a CUDA (or Apple ``mps``) device when the model and data live there.

- ``get_device()``                    cuda if available, else mps, else cpu
- ``count_parameters(model, trainable_only=True)``   (defined in ``nncourse.models``)
- ``model_flops_per_token(n_params, n_layers, d_model, seq_len)``
                                      training FLOPs per token, ``6N + 12 L d T``
- ``mfu(tokens_per_second, flops_per_token, peak_flops)``   model FLOPs utilisation
- ``PEAK_BF16_FLOPS``, ``peak_flops(name)``   dense bf16 peaks of common GPUs, by name
- ``synchronize(device)``             wait for the device's queued work (no-op on cpu)
- ``time_calls(fn, steps, warmup, device)``   seconds per call, measured honestly
- ``copy_seconds(nbytes, device, pinned)``    the time of one host -> device copy
- ``next_token_loss(output, targets)`` cross-entropy of a language model's logits
- ``amp_train_step(model, x, y, optimizer, loss_fn, dtype=torch.bfloat16, scaler=None)``
                                      one step with the forward pass under autocast
- ``accumulated_step(model, micro_batches, optimizer, loss_fn)``
                                      one step from gradients summed over micro-batches
- ``train_throughput(model, optimizer, batches, ...)``   tokens/s and peak memory of
                                      training steps (the chapter and ``benchmarks/gpu_gpt.py``)
- ``matmul_flops(n, device)``         FLOP/s of a square matrix product: a measured peak
- ``tensor_bytes(tensors)``           bytes of tensors, each storage counted once

Checkpoints are in ``nncourse.checkpoint``, data-parallel training in
``nncourse.ddp_train``.
"""

from __future__ import annotations

import re
import statistics
import time
from typing import Callable, Iterable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from nncourse.models import count_parameters

__all__ = ["get_device", "count_parameters", "model_flops_per_token", "mfu", "PEAK_BF16_FLOPS",
           "peak_flops", "synchronize", "time_calls", "copy_seconds", "next_token_loss",
           "amp_train_step", "accumulated_step", "train_throughput", "matmul_flops", "tensor_bytes"]


# ---------------------------------------------------------------- devices
def get_device() -> torch.device:
    """The best device PyTorch can use here: ``cuda`` if available, else ``mps``, else ``cpu``."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def synchronize(device: torch.device | str | None = None) -> None:
    """Block until every kernel queued on ``device`` has finished.

    CUDA and MPS run kernels asynchronously: a Python call returns as soon as
    the work is *queued*. A timer read without synchronising measures the
    queueing, not the work. On the CPU there is nothing to wait for.
    """
    device = torch.device(device) if device is not None else get_device()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


# ---------------------------------------------------------------- FLOPs and MFU
def model_flops_per_token(n_params: int, n_layers: int, d_model: int, seq_len: int) -> int:
    """Training FLOPs per token of a transformer: ``6 * n_params + 12 * n_layers * d_model * seq_len``.

    Each parameter takes part in one multiply-add (2 FLOPs) per token in the
    forward pass and two in the backward pass (gradients with respect to the
    input and to the weight): 6 FLOPs. Attention adds ``QK^T`` and the
    weighted sum of values, which have no parameters: ``2 * 2 * T * d`` FLOPs
    per token and layer forward, three times that with the backward pass.
    """
    return 6 * n_params + 12 * n_layers * d_model * seq_len


def mfu(tokens_per_second: float, flops_per_token: float, peak_flops: float) -> float:
    """Model FLOPs utilisation: the fraction of the device's peak FLOP/s spent on the model's FLOPs."""
    if peak_flops <= 0:
        raise ValueError(f"peak_flops must be positive, got {peak_flops}")
    return tokens_per_second * flops_per_token / peak_flops


# Dense (no sparsity) bf16 tensor-core peaks from the vendors' data sheets, in FLOP/s,
# keyed by a part of the name torch.cuda.get_device_name() reports. MFU is quoted
# against the bf16 peak for every precision, as is customary, so that an fp32 run
# shows what it leaves on the table. Variants not listed (H100 NVL, ...) get None.
PEAK_BF16_FLOPS: dict[str, float] = {
    "H200": 989e12,
    "H100 80GB HBM3": 989e12,    # H100 SXM
    "H100 PCIe": 756e12,
    "A100": 312e12,              # SXM and PCIe
    "L4": 121e12,
}


def peak_flops(device_name: str) -> float | None:
    """The dense bf16 peak of the GPU called ``device_name`` (as ``torch.cuda.get_device_name``
    reports it, e.g. ``"NVIDIA H100 80GB HBM3"``), or None when it is not in ``PEAK_BF16_FLOPS``.
    A key matches as a whole word: ``"L4"`` matches ``"NVIDIA L4"``, not ``"NVIDIA L40S"``."""
    for key, value in PEAK_BF16_FLOPS.items():
        if re.search(rf"(?<![\w]){re.escape(key)}(?![\w])", device_name, flags=re.IGNORECASE):
            return value
    return None


# ---------------------------------------------------------------- timing
def time_calls(fn: Callable[[], object], steps: int = 10, warmup: int = 3,
               device: torch.device | str | None = None) -> list[float]:
    """Wall-clock seconds of ``steps`` calls of ``fn()``, after ``warmup`` untimed calls.

    The warm-up absorbs one-off costs (memory allocation, kernel selection,
    compilation); the device is synchronised before the clock starts and after
    each call, so each time covers the work, not just its queueing. Report the
    median: it ignores the occasional call slowed down by something else.
    """
    device = torch.device(device) if device is not None else get_device()
    for _ in range(warmup):
        fn()
    synchronize(device)
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        synchronize(device)
        times.append(time.perf_counter() - t0)
    return times


def copy_seconds(nbytes: int, device: torch.device | str, pinned: bool = False,
                 steps: int = 10) -> float:
    """Median seconds to copy ``nbytes`` from host memory to ``device`` (from pinned memory
    with ``pinned=True``, which needs CUDA)."""
    host = torch.empty(nbytes, dtype=torch.uint8, pin_memory=pinned)
    return statistics.median(time_calls(lambda: host.to(device, non_blocking=pinned),
                                        steps=steps, warmup=2, device=device))


# ---------------------------------------------------------------- training steps
def next_token_loss(output, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of logits ``(B, T, V)`` against ``targets (B, T)``.

    ``output`` is the logits or a tuple that starts with them (``GPT`` returns
    ``(logits, loss)``), so that ``loss_fn(model(x), y)`` works for both.
    """
    logits = output[0] if isinstance(output, (tuple, list)) else output
    return F.cross_entropy(logits.flatten(0, 1), targets.flatten())


def _device_type(model: nn.Module) -> str:
    p = next(model.parameters(), None)
    return p.device.type if p is not None else "cpu"


def amp_train_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                   optimizer: torch.optim.Optimizer, loss_fn: Callable,
                   dtype: torch.dtype | None = torch.bfloat16, scaler=None) -> float:
    """One optimiser step with the forward pass and the loss under ``torch.autocast``.

    Autocast runs on the device type of the model's parameters and computes
    matrix products in ``dtype`` while the weights, their gradients and the
    optimiser stay in float32. With a ``GradScaler`` (needed for float16,
    whose small gradients would underflow) the loss is scaled before the
    backward pass and the gradients unscaled before the step, which is skipped
    if they overflowed. ``dtype=None`` turns autocast off (a float32 step).
    Returns the loss as a float.
    """
    optimizer.zero_grad(set_to_none=True)
    with torch.autocast(device_type=_device_type(model), dtype=dtype, enabled=dtype is not None):
        loss = loss_fn(model(x), y)
    if scaler is None:
        loss.backward()
        optimizer.step()
    else:
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    return loss.item()


def accumulated_step(model: nn.Module, micro_batches: Iterable[tuple[torch.Tensor, torch.Tensor]],
                     optimizer: torch.optim.Optimizer, loss_fn: Callable) -> float:
    """One optimiser step from gradients accumulated over ``(x, y)`` micro-batches.

    Each micro-batch's loss is divided by the number of micro-batches before
    its backward pass, and ``.grad`` sums over the backward passes: with
    micro-batches of equal size and a ``loss_fn`` that averages over its batch,
    the gradient, and so the step, equal (to float rounding) those of one step
    on the concatenated batch, while only one micro-batch's activations are in
    memory at a time. Returns the mean of the micro-batch losses.
    """
    micro_batches = list(micro_batches)
    if not micro_batches:
        raise ValueError("accumulated_step needs at least one micro-batch")
    optimizer.zero_grad(set_to_none=True)
    total = 0.0
    for x, y in micro_batches:
        loss = loss_fn(model(x), y) / len(micro_batches)
        loss.backward()                        # adds into .grad
        total += loss.item()
    optimizer.step()
    return total


# ---------------------------------------------------------------- throughput
def train_throughput(model: nn.Module, optimizer: torch.optim.Optimizer,
                     batches: Callable[[], tuple[torch.Tensor, torch.Tensor]],
                     dtype: torch.dtype | None = None, steps: int = 10, warmup: int = 3,
                     loss_fn: Callable = next_token_loss) -> dict:
    """Measure training steps of ``model`` on batches ``(x, y)`` drawn by ``batches()``.

    Each step is :func:`amp_train_step` (``dtype=None``: float32). Returns
    ``{"tokens_per_s": median, "step_s": [seconds per step], "loss": last loss,
    "peak_memory": bytes or None}``; the peak memory is the CUDA allocator's
    high-water mark over the timed steps, None on other devices.
    """
    device = next(model.parameters()).device
    last = {}

    def step():
        x, y = batches()
        last["tokens"] = x.numel()
        last["loss"] = amp_train_step(model, x, y, optimizer, loss_fn, dtype=dtype)

    for _ in range(warmup):                    # untimed: also the first peak of memory
        step()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    times = time_calls(step, steps=steps, warmup=0, device=device)
    peak = torch.cuda.max_memory_allocated(device) if device.type == "cuda" else None
    return {"tokens_per_s": last["tokens"] / statistics.median(times), "step_s": times,
            "loss": last["loss"], "peak_memory": peak}


def matmul_flops(n: int = 512, device: torch.device | str = "cpu", dtype: torch.dtype = torch.float32,
                 steps: int = 10) -> float:
    """FLOP/s of an ``n x n`` matrix product on ``device`` (median of ``steps``): a measured,
    practical peak where no data-sheet figure applies (a CPU)."""
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    return 2 * n ** 3 / statistics.median(time_calls(lambda: a @ b, steps=steps, warmup=2, device=device))


def tensor_bytes(tensors: Sequence[torch.Tensor]) -> int:
    """Total bytes of ``tensors``, counting each storage once (views share memory)."""
    seen, total = set(), 0
    for t in tensors:
        key = t.untyped_storage().data_ptr()
        if key not in seen:
            seen.add(key)
            total += t.untyped_storage().nbytes()
    return total
