"""Text as sequences of integers, shared by the language-model chapters (7, 8).

- ``CharVocab``                         characters <-> integer ids (``encode``, ``decode``)
- ``random_windows(data, batch_size, seq_len, generator)``
                                        a random batch of (input, target) windows ``(B, T)``,
                                        the target shifted by one position
- ``sequential_windows(data, batch_size, seq_len)``
                                        the whole text cut into consecutive (input, target)
                                        batches, for evaluation
- ``softmax_with_temperature(logits, temperature)``   NumPy, stable
- ``sample_with_temperature(logits, temperature, rng)``
                                        one index from ``softmax(logits / temperature)``,
                                        drawn with a seeded ``np.random.Generator``
"""

from __future__ import annotations

from typing import Iterable, Iterator

import numpy as np
import torch


class CharVocab:
    """A character-level vocabulary: the sorted set of characters of a text.

    ``encode`` maps a string to a ``torch.long`` tensor of ids, ``decode``
    maps ids (any iterable of ints, or a tensor) back to a string. A character
    outside the vocabulary raises ``KeyError`` (build the vocabulary from all
    the text you will encode).
    """

    def __init__(self, text: str | Iterable[str]):
        self.chars: list[str] = sorted(set(text))
        if not self.chars:
            raise ValueError("cannot build a vocabulary from an empty text")
        self.index: dict[str, int] = {c: i for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def __repr__(self) -> str:
        return f"CharVocab({len(self)} characters)"

    def encode(self, text: str) -> torch.Tensor:
        return torch.tensor([self.index[c] for c in text], dtype=torch.long)

    def decode(self, ids) -> str:
        if isinstance(ids, torch.Tensor):
            ids = ids.tolist()
        return "".join(self.chars[int(i)] for i in ids)


def _check_windows(data: torch.Tensor, batch_size: int, seq_len: int) -> None:
    if data.ndim != 1:
        raise ValueError(f"data must be 1-D, got shape {tuple(data.shape)}")
    if batch_size < 1 or seq_len < 1:
        raise ValueError("batch_size and seq_len must be >= 1")
    if len(data) < seq_len + 1:
        raise ValueError(f"data of length {len(data)} is shorter than seq_len + 1 = {seq_len + 1}")


def random_windows(data: torch.Tensor, batch_size: int, seq_len: int,
                   generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """``(x, y)``, both ``(batch_size, seq_len)``: windows starting at random positions
    of the 1-D id tensor ``data``, with ``y[b, t] = x[b, t + 1]`` (the next character).

    The start positions are drawn with ``generator``, so a seeded generator
    gives the same batches on every run.
    """
    _check_windows(data, batch_size, seq_len)
    starts = torch.randint(0, len(data) - seq_len, (batch_size,), generator=generator)
    idx = starts[:, None] + torch.arange(seq_len + 1)       # (B, T + 1)
    chunk = data[idx]
    return chunk[:, :-1], chunk[:, 1:]


def sequential_windows(data: torch.Tensor, batch_size: int,
                       seq_len: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Every ``(x, y)`` window of ``data`` once, in order, ``batch_size`` at a time.

    The text is cut into ``(len(data) - 1) // seq_len`` non-overlapping windows
    (the remainder at the end is dropped); the last batch may be smaller. Used to
    evaluate a model on a whole validation text, deterministically.
    """
    _check_windows(data, batch_size, seq_len)
    n = (len(data) - 1) // seq_len
    x = data[: n * seq_len].view(n, seq_len)
    y = data[1: n * seq_len + 1].view(n, seq_len)
    for i in range(0, n, batch_size):
        yield x[i: i + batch_size], y[i: i + batch_size]


def softmax_with_temperature(logits: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(logits / temperature)`` along the last axis, stable."""
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def sample_with_temperature(logits: np.ndarray, temperature: float,
                            rng: np.random.Generator) -> int:
    """One index drawn from ``softmax(logits / temperature)`` with ``rng``.

    ``logits`` is 1-D. A temperature below 1 sharpens the distribution
    (towards the arg-max), above 1 flattens it (towards uniform).
    """
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 1:
        raise ValueError(f"logits must be 1-D, got shape {logits.shape}")
    p = softmax_with_temperature(logits, temperature)
    return int(rng.choice(len(p), p=p))
