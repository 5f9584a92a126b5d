"""A small PyTorch training loop, shared by the chapters that train with torch (5-9).

Chapter 5 describes these functions and uses them (its exercise has the
reader write ``train_one_epoch`` and ``evaluate``); later chapters import
them instead of copying them.

- ``train_one_epoch(model, loader, optimizer, loss_fn)``  one pass over the data;
  returns the mean loss over the samples (each batch weighted by its size)
- ``evaluate(model, loader)``                             accuracy, in eval mode, no gradients
- ``loss_and_accuracy(model, loader, loss_fn)``            both, for validation curves
- ``fit(model, train_loader, optimizer, loss_fn, epochs, val_loader=...)``
  epochs with a tqdm progress bar, a ``History``, optional early stopping, an optional
  time budget (``max_seconds``) and learning-rate scheduler (stepped once per epoch)
- ``LivePlot``                                             loss and accuracy curves that redraw
  in place in Jupyter at the end of every epoch
"""

from __future__ import annotations

import copy
import math
from time import perf_counter as _clock
from dataclasses import dataclass, field

import torch
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


def _to(batch, device):
    return batch if device is None else batch.to(device)


def train_one_epoch(model: torch.nn.Module, loader, optimizer: torch.optim.Optimizer,
                    loss_fn, device=None) -> float:
    """One epoch of mini-batch training; the mean loss over the epoch's samples.

    ``loss_fn`` must return the *mean* loss of a batch (the default of
    ``torch.nn`` losses): it is multiplied back by the batch size so that a
    smaller last batch counts for what it is.
    """
    model.train()
    total, count = 0.0, 0
    for x, y in loader:
        x, y = _to(x, device), _to(y, device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count


@torch.no_grad()
def evaluate(model: torch.nn.Module, loader, device=None) -> float:
    """Classification accuracy of ``model`` on ``loader``: eval mode, no gradients recorded."""
    model.eval()
    correct, count = 0, 0
    for x, y in loader:
        x, y = _to(x, device), _to(y, device)
        correct += (model(x).argmax(dim=1) == y).sum().item()
        count += len(y)
    return correct / count


@torch.no_grad()
def loss_and_accuracy(model: torch.nn.Module, loader, loss_fn, device=None) -> tuple[float, float]:
    """``(mean loss over the samples, accuracy)`` in eval mode, without gradients."""
    model.eval()
    total, correct, count = 0.0, 0, 0
    for x, y in loader:
        x, y = _to(x, device), _to(y, device)
        logits = model(x)
        total += loss_fn(logits, y).item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        count += len(y)
    return total / count, correct / count


@dataclass
class History:
    """Per-epoch measurements of :func:`fit` (validation lists stay empty without a val_loader)."""
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    best_epoch: int | None = None     # 1-based epoch of the best monitored validation value
    stopped_early: bool = False
    seconds: float = 0.0              # wall-clock seconds of fit's epochs (with validation)
    stopped_by_time: bool = False     # max_seconds ended the training


def fit(model: torch.nn.Module, train_loader, optimizer: torch.optim.Optimizer, loss_fn,
        epochs: int, val_loader=None, patience: int | None = None, restore_best: bool = False,
        progress: bool = True, plot: "LivePlot | None" = None, desc: str = "epochs",
        device=None, max_seconds: float | None = None, scheduler=None,
        monitor: str = "val_loss") -> History:
    """Train for up to ``epochs`` epochs; return a :class:`History`.

    With a ``val_loader`` every epoch ends with the validation loss and
    accuracy. ``monitor``: what "best" means, ``"val_loss"`` (lowest) or
    ``"val_acc"`` (highest; ties keep the earlier epoch). ``patience``: stop
    once the monitored value has not improved for that many epochs (early
    stopping on its plateau). ``restore_best``: load the weights of the best
    validation epoch at the end. ``plot``: a :class:`LivePlot` to
    update after every epoch. ``max_seconds``: a time budget; no epoch is
    started that would, at the mean pace of the epochs so far, end after it
    (the first epoch always runs). ``scheduler``: a learning-rate scheduler
    whose ``step()`` is called at the end of every epoch.
    """
    if epochs < 0:
        raise ValueError(f"epochs must be >= 0, got {epochs}")
    if max_seconds is not None and max_seconds <= 0:
        raise ValueError(f"max_seconds must be > 0, got {max_seconds}")
    if (patience is not None or restore_best) and val_loader is None:
        raise ValueError("early stopping and restore_best need a val_loader")
    if monitor not in ("val_loss", "val_acc"):
        raise ValueError(f"monitor must be 'val_loss' or 'val_acc', got {monitor!r}")
    if patience is not None and patience < 1:
        raise ValueError(f"patience must be >= 1, got {patience}")
    from tqdm.auto import tqdm

    history = History()
    sign = 1.0 if monitor == "val_loss" else -1.0     # minimise sign * value
    best, best_state, waited = math.inf, None, 0
    bar = tqdm(range(epochs), desc=desc, disable=not progress)
    start = _clock()
    for epoch in bar:
        if max_seconds is not None and epoch > 0:
            elapsed = _clock() - start
            if elapsed * (epoch + 1) / epoch > max_seconds:
                history.stopped_by_time = True
                break
        history.train_loss.append(train_one_epoch(model, train_loader, optimizer, loss_fn, device))
        postfix = {"train loss": f"{history.train_loss[-1]:.4f}"}
        if val_loader is not None:
            val_loss, val_acc = loss_and_accuracy(model, val_loader, loss_fn, device)
            history.val_loss.append(val_loss)
            history.val_acc.append(val_acc)
            postfix.update({"val loss": f"{val_loss:.4f}", "val acc": f"{val_acc:.3f}"})
            value = sign * (val_loss if monitor == "val_loss" else val_acc)
            if value < best:
                best, history.best_epoch, waited = value, epoch + 1, 0
                if restore_best:
                    best_state = copy.deepcopy(model.state_dict())
            else:
                waited += 1
        if scheduler is not None:
            scheduler.step()
        history.seconds = _clock() - start
        bar.set_postfix(postfix)
        if plot is not None:
            plot.update(history)
        if patience is not None and waited >= patience:
            history.stopped_early = True
            break
    bar.close()
    if restore_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


class LivePlot:
    """Loss curves (and validation accuracy) redrawn in place after every epoch.

    In Jupyter the figure is displayed once and then updated through its
    display id, so a notebook (or a built book page) keeps only the last
    version. Outside IPython nothing is displayed; the figure is still drawn
    and available as ``.figure``. The figure is not a pyplot figure, so the
    inline backend never shows a second copy at the end of the cell.
    """

    def __init__(self, title: str | None = None, figsize=(7.5, 2.8), max_epochs: int | None = None):
        self.figure = Figure(figsize=figsize)
        self.ax_loss, self.ax_acc = self.figure.subplots(1, 2)
        self.title = title
        self.max_epochs = max_epochs
        self._handle = None

    def draw(self, history: History) -> Figure:
        """Redraw both panels from ``history``; return the figure."""
        for ax in (self.ax_loss, self.ax_acc):
            ax.clear()
            ax.grid(True, alpha=0.3)
            ax.set_xlabel("epoch")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if self.max_epochs:
                ax.set_xlim(0.5, self.max_epochs + 0.5)
        for key, label in (("train_loss", "train"), ("val_loss", "validation")):
            values = getattr(history, key)
            if values:
                self.ax_loss.plot(range(1, len(values) + 1), values, "o-", ms=3, label=label)
        self.ax_loss.set_ylabel("loss")
        self.ax_loss.legend(frameon=False)
        if history.val_acc:
            self.ax_acc.plot(range(1, len(history.val_acc) + 1), history.val_acc, "o-", ms=3,
                             color="C1")
        self.ax_acc.set_ylabel("validation accuracy")
        if self.title:
            self.figure.suptitle(self.title)
        self.figure.tight_layout()
        return self.figure

    def update(self, history: History) -> None:
        """Redraw, and show the new version in place of the old one (in IPython)."""
        self.draw(history)
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:
            return
        if get_ipython() is None:
            return
        if self._handle is None:
            self._handle = display(self.figure, display_id=True)
        else:
            self._handle.update(self.figure)
