"""A character-level language model (chapter 7) and the helpers to train, evaluate and sample it.

- ``CharLSTM(vocab_size, embed_dim, hidden_size, num_layers=1)``
      embedding -> ``torch.nn.LSTM`` -> linear; ``model(x, state=None) -> (logits, state)``
      with ``x (B, T)`` ids and ``logits (B, T, vocab_size)``
- ``lm_loss(model, x, y)``            mean cross-entropy (nats per character) of one batch
- ``bits_per_char(model, batches)``   mean cross-entropy over batches, in bits per character
- ``train_lm(model, data, optimizer, steps, ...)``
      a fixed number of steps (or of seconds) on random windows, with gradient
      clipping, a learning-rate schedule, a tqdm progress bar and periodic
      validation; returns an ``LMHistory``
- ``warmup_cosine(warmup, final=0.0)``
      a learning-rate schedule for ``train_lm``: linear warm-up, then a cosine
      decay that ends when the budget (of steps or of seconds) does
- ``generate(model, vocab, prompt, length, temperature, rng)``
      sample text one character at a time, carrying the recurrent state

Any model that maps ``(B, T)`` ids to ``(B, T, V)`` logits (or to a tuple whose
first element is the logits) works with ``lm_loss``, ``bits_per_char`` and
``train_lm``; ``generate`` needs the recurrent ``(logits, state)`` interface.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from nncourse.text import CharVocab, random_windows, sample_with_temperature


class CharLSTM(nn.Module):
    """Embedding, a (stacked) LSTM and a linear read-out to next-character logits."""

    def __init__(self, vocab_size: int, embed_dim: int = 32, hidden_size: int = 256,
                 num_layers: int = 1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x: torch.Tensor, state=None):
        """``x (B, T)`` ids -> ``(logits (B, T, V), (h, c))``; ``state`` as ``nn.LSTM``'s."""
        out, state = self.lstm(self.embed(x), state)     # out (B, T, H)
        return self.head(out), state


def _logits(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    out = model(x)
    return out[0] if isinstance(out, tuple) else out


def lm_loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy in nats over every position of the batch ``x, y (B, T)``."""
    logits = _logits(model, x)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


@torch.no_grad()
def bits_per_char(model: nn.Module, batches: Iterable[tuple[torch.Tensor, torch.Tensor]]) -> float:
    """Mean cross-entropy per character over all ``(x, y)`` batches, in bits (eval mode).

    Every window starts from a zero state, as in training.
    """
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    for x, y in batches:
        total += lm_loss(model, x, y).item() * y.numel()
        count += y.numel()
    model.train(was_training)
    if count == 0:
        raise ValueError("no batches to evaluate")
    return total / count / math.log(2)


@dataclass
class LMHistory:
    """What :func:`train_lm` measured: per-step training loss and periodic validation loss."""
    train_bpc: list[float] = field(default_factory=list)      # every step, in bits per char
    val_steps: list[int] = field(default_factory=list)        # steps after which validation ran
    val_bpc: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)     # total norm before clipping
    seconds: float = 0.0            # wall-clock seconds of training (validation excluded)
    cpu_seconds: float = 0.0        # CPU seconds of this process in those steps, all threads


def warmup_cosine(warmup: int, final: float = 0.0):
    """A learning-rate schedule ``(step, done) -> factor`` for :func:`train_lm`.

    Half a cosine from 1 down to ``final`` as ``done``, the fraction of the
    training budget already used, goes from 0 to 1; times a linear warm-up from
    ``1 / warmup`` to 1 over the first ``warmup`` steps.
    """
    def factor(step: int, done: float) -> float:
        ramp = min(1.0, (step + 1) / warmup) if warmup > 0 else 1.0
        return ramp * (final + (1.0 - final) * 0.5 * (1.0 + math.cos(math.pi * min(1.0, done))))

    return factor


def train_lm(model: nn.Module, data: torch.Tensor, optimizer: torch.optim.Optimizer, steps: int,
             batch_size: int, seq_len: int, generator: torch.Generator,
             max_norm: float | None = 1.0, val_batches=None, val_every: int = 100,
             scheduler=None, progress: bool = True, desc: str = "steps",
             lr_schedule=None, max_seconds: float | None = None, on_step=None) -> LMHistory:
    """Train for ``steps`` steps on random windows of ``data`` (1-D ids).

    Each step draws ``batch_size`` windows of ``seq_len`` characters with
    ``generator`` (so the run is reproducible), clips the gradient to total
    norm ``max_norm`` (``None``: no clipping) and takes one optimiser step.
    ``val_batches``: a list of ``(x, y)`` evaluated with :func:`bits_per_char`
    every ``val_every`` steps and after the last step. ``scheduler``: a
    learning-rate scheduler stepped after every optimiser step.

    ``max_seconds``: a time budget instead: stop once this many seconds of
    training (wall clock, validation excluded) have passed, or after ``steps``
    steps if that comes first. ``lr_schedule``: a function ``(step, done) ->
    factor``, such as :func:`warmup_cosine`; before step ``step`` (from 0)
    every parameter group's learning rate is set to its initial value times
    the factor, where ``done`` is the fraction of the budget already used:
    ``step / steps``, or the elapsed fraction of ``max_seconds``. With a time
    budget the schedule thus ends exactly when the time does, however fast
    the machine. ``on_step``: called after every step with the training
    seconds so far (for example to keep snapshots of the weights).
    """
    from tqdm.auto import tqdm

    history = LMHistory()
    model.train()
    base_lrs = [group["lr"] for group in optimizer.param_groups]
    seconds, cpu_seconds = 0.0, 0.0
    bar = tqdm(range(1, steps + 1), desc=desc, disable=not progress)
    for step in bar:
        if max_seconds is not None and seconds >= max_seconds:
            break
        t0, c0 = time.perf_counter(), time.process_time()
        if lr_schedule is not None:
            done = seconds / max_seconds if max_seconds is not None else (step - 1) / steps
            f = lr_schedule(step - 1, done)
            for group, lr in zip(optimizer.param_groups, base_lrs):
                group["lr"] = lr * f
        x, y = random_windows(data, batch_size, seq_len, generator)
        optimizer.zero_grad()
        loss = lm_loss(model, x, y)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(),
                                        max_norm if max_norm is not None else math.inf)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        history.train_bpc.append(loss.item() / math.log(2))
        history.grad_norms.append(norm.item())
        seconds += time.perf_counter() - t0
        cpu_seconds += time.process_time() - c0
        if on_step is not None:
            on_step(seconds)
        last = step == steps or (max_seconds is not None and seconds >= max_seconds)
        if val_batches is not None and (step % val_every == 0 or last):
            history.val_steps.append(step)
            history.val_bpc.append(bits_per_char(model, val_batches))
            bar.set_postfix({"val bpc": f"{history.val_bpc[-1]:.3f}"})
    bar.close()
    history.seconds, history.cpu_seconds = seconds, cpu_seconds
    if lr_schedule is not None:                  # leave the optimiser's learning rates as found
        for group, lr in zip(optimizer.param_groups, base_lrs):
            group["lr"] = lr
    return history


@torch.no_grad()
def generate(model: nn.Module, vocab: CharVocab, prompt: str, length: int, temperature: float,
             rng: np.random.Generator) -> str:
    """``prompt`` followed by ``length`` sampled characters.

    The prompt is read in one pass to warm up the recurrent state; then each
    new character is drawn with :func:`nncourse.text.sample_with_temperature`
    from the model's logits and fed back. Deterministic for a seeded ``rng``.
    """
    if not prompt:
        raise ValueError("generate needs a non-empty prompt")
    was_training = model.training
    model.eval()
    logits, state = model(vocab.encode(prompt)[None, :])
    out = []
    for _ in range(length):
        i = sample_with_temperature(logits[0, -1].double().numpy(), temperature, rng)
        out.append(i)
        logits, state = model(torch.tensor([[i]]), state)
    model.train(was_training)
    return prompt + vocab.decode(out)
