"""Embeddings (chapter 11): learned vectors for tokens, and how to look at them.

- ``cosine_similarity_to(E, i)``    ``(V,)`` cosine similarity of every row of ``E`` to row ``i``
- ``cosine_nearest(E, i, k)``       the ``k`` rows most similar to row ``i`` (itself excluded)
- ``pca_2d(E, return_ratio=False)`` a ``(V, 2)`` projection on the two principal axes
                                    (by SVD, with a fixed sign), and the share of variance
                                    each axis keeps

- ``TokenIds(tokens)``              token strings <-> ids, the most frequent token first
- ``TokenCBOW(vocab_size, dim)``    word2vec's continuous bag of words: the mean embedding of
                                    the tokens around a position predicts the token there
- ``cbow_batch(ids, window, batch_size, generator)``   a random batch of (context, centre)
- ``train_cbow(ids, vocab_size, generator, ...)``   a seeded, fixed number of Adam steps
                                    (on one thread); returns the model and its losses
- ``token_embeddings(text, n_merges, ...)``   all of it at once: BPE tokens of ``text``, a
                                    trained ``TokenCBOW``, its ``(V, dim)`` embedding matrix

Rows are the vectors: ``E (V, d)`` holds one ``d``-dimensional embedding per
token (or per item). The functions that look at embeddings are NumPy float64
(torch tensors are accepted); the model is torch.

Why CBOW: the chapter wants embeddings whose neighbours a reader can check,
trained in seconds on two cores. On 500,000 characters of Shakespeare cut
into BPE tokens by 1,000 merges, 1,000 CBOW steps (about 11 s of CPU, one
thread) put ``him`` beside ``me``, ``her``, ``them``; ``my`` beside ``thy``,
``his``, ``your``; ``was`` beside ``had``, ``did``, ``is``, ``were``, ``hath``
(22 of the 25 pairs of ``benchmarks/token_embeddings.py``'s probe within the
top 10). Chapter 8's GPT on the same tokens needs more: 350 steps (30-36 s of
CPU) give 13 of 25 for its token embedding (20 for its output head), 24 of 25
with the head tied to the embedding; 150 tied steps (16 s) give 20.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

TIE_DECIMALS = 12     # similarities equal to this many decimals are ties (lower index first)


def _as_matrix(E, name: str = "E") -> np.ndarray:
    if hasattr(E, "detach"):                                  # a torch tensor
        E = E.detach().cpu().numpy()
    E = np.asarray(E)
    if E.ndim != 2 or E.shape[0] == 0 or E.shape[1] == 0:
        raise ValueError(f"{name} must be (V, d) with V, d >= 1, got shape {E.shape}")
    if not (np.issubdtype(E.dtype, np.floating) or np.issubdtype(E.dtype, np.integer)):
        raise ValueError(f"{name} must hold numbers, got dtype {E.dtype}")
    E = E.astype(np.float64)
    if not np.all(np.isfinite(E)):
        raise ValueError(f"{name} must be finite, got nan or inf")
    return E


def _check_index(i, V: int) -> int:
    if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < V:
        raise ValueError(f"i must be an int in [0, {V}), got {i!r}")
    return int(i)


def cosine_similarity_to(E, i: int) -> np.ndarray:
    """``(V,)``: ``cos(E[j], E[i]) = E[j] . E[i] / (|E[j]| |E[i]|)`` for every row ``j``.

    A zero row has no direction: row ``i`` being zero is a ``ValueError``;
    any other zero row gets similarity 0 (as ``sklearn.metrics.pairwise.
    cosine_similarity`` gives it), like a vector at right angles to ``E[i]``.
    """
    E = _as_matrix(E)
    i = _check_index(i, len(E))
    norms = np.sqrt((E * E).sum(axis=1))                       # (V,)
    if norms[i] == 0:
        raise ValueError(f"row {i} of E is zero: its cosine similarity is undefined")
    unit = E / np.where(norms > 0, norms, 1.0)[:, None]        # (V, d) rows of length 1 (or 0)
    return (unit * unit[i]).sum(axis=1)                        # (V,)


def cosine_nearest(E, i: int, k: int) -> np.ndarray:
    """The indices ``(k,)`` of the ``k`` rows of ``E (V, d)`` with the highest cosine
    similarity to row ``i``, ``i`` itself excluded, most similar first.

    Ties go to the lower index; similarities that agree to ``TIE_DECIMALS``
    (12) decimals are ties, so that rows pointing the same way (``v`` and
    ``2 v``) tie however the rounding of their norms fell. Zero rows: see
    :func:`cosine_similarity_to` (an error for row ``i``, similarity 0 for the
    others). ``1 <= k <= V - 1``.
    """
    E = _as_matrix(E)
    V = len(E)
    i = _check_index(i, V)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= V - 1:
        raise ValueError(f"k must be an int in [1, {V - 1}] (V - 1 other rows), got {k!r}")
    sim = np.round(cosine_similarity_to(E, i), TIE_DECIMALS)  # (V,)
    others = np.delete(np.arange(V), i)                        # (V - 1,)
    order = np.lexsort((others, -sim[others]))                 # by -similarity, then index
    return others[order[:k]]


def pca_2d(E, return_ratio: bool = False):
    """``E (V, d)`` projected on its two principal axes: ``(V, 2)`` coordinates.

    The rows are centred (their mean subtracted) and projected on the first
    two right singular vectors of the centred matrix, the directions of
    largest variance. A singular vector's sign is arbitrary (``-v`` serves as
    well); the sign is fixed so that on each axis the point farthest from the
    centre has a positive coordinate (scikit-learn's ``svd_flip``; the lower
    index if two are as far, to a relative 1e-9). An axis without variance (all
    points on a line, or fewer than 3 points) gives zeros. With ``return_ratio=True``, also the fraction
    of the total variance that each axis keeps, ``(2,)``.
    """
    E = _as_matrix(E)
    V, d = E.shape
    if V < 2 or d < 2:
        raise ValueError(f"E must have at least 2 rows and 2 columns for a 2-D projection, "
                         f"got shape {E.shape}")
    X = E - E.mean(axis=0)                                     # (V, d) centred
    U, S, Vt = np.linalg.svd(X, full_matrices=False)           # (V, r), (r,), (r, d)
    S2 = np.where(S[:2] > S[0] * max(V, d) * np.finfo(float).eps, S[:2], 0.0)  # no variance: 0
    coords = U[:, :2] * S2                                     # (V, 2) = X @ Vt[:2].T
    # The farthest point of each axis (the lowest index among those as far, to rounding).
    dist = np.abs(coords)                                      # (V, 2)
    far = np.argmax(dist >= dist.max(axis=0) * (1 - 1e-9), axis=0)   # (2,)
    signs = np.where(coords[far, [0, 1]] < 0, -1.0, 1.0)
    coords = coords * signs
    if not return_ratio:
        return coords
    total = float((S ** 2).sum())
    ratio = S[:2] ** 2 / total if total > 0 else np.zeros(2)
    return coords, ratio


# ---------------------------------------------------------------- a model that learns embeddings
class TokenIds:
    """Token strings <-> integer ids: ``strings[i]`` is token ``i``, ordered by frequency in
    the tokens given (most frequent first; ties by first appearance)."""

    def __init__(self, tokens):
        tokens = list(tokens)
        if not tokens or not all(isinstance(t, str) for t in tokens):
            raise ValueError("tokens must be a non-empty list of strings")
        counts = Counter(tokens)                       # insertion order: first appearance
        self.strings: list[str] = [t for t, _ in sorted(counts.items(), key=lambda tc: -tc[1])]
        self.counts: list[int] = [counts[t] for t in self.strings]
        self.index: dict[str, int] = {t: i for i, t in enumerate(self.strings)}

    def __len__(self) -> int:
        return len(self.strings)

    def __repr__(self) -> str:
        return f"TokenIds({len(self)} tokens)"

    def encode(self, tokens) -> torch.Tensor:
        """``(N,)`` long tensor of ids; a token not in the vocabulary is a ``KeyError``."""
        return torch.tensor([self.index[t] for t in tokens], dtype=torch.long)

    def decode(self, ids) -> list[str]:
        if isinstance(ids, torch.Tensor):
            ids = ids.tolist()
        return [self.strings[int(i)] for i in ids]


class TokenCBOW(nn.Module):
    """Continuous bag of words (Mikolov et al., 2013): predict a token from its neighbours.

    ``forward(context)``: ``context (B, 2 * window)`` ids of the tokens before and
    after a position -> ``(B, V)`` logits for the token at that position, computed
    from the mean of their embeddings. Tokens that appear in the same contexts get
    pulled towards the same mean, so their embeddings end up close together.
    ``embedding()`` is the learned ``(V, dim)`` matrix, as float64 NumPy.
    """

    def __init__(self, vocab_size: int, dim: int = 64):
        super().__init__()
        if vocab_size < 2 or dim < 1:
            raise ValueError(f"vocab_size must be >= 2 and dim >= 1, got {vocab_size} and {dim}")
        self.embed = nn.Embedding(vocab_size, dim)
        self.out = nn.Linear(dim, vocab_size)
        nn.init.normal_(self.embed.weight, 0.0, 0.1)

    def forward(self, context: torch.Tensor) -> torch.Tensor:
        return self.out(self.embed(context).mean(dim=1))            # (B, 2w, dim) -> (B, V)

    def embedding(self) -> np.ndarray:
        return self.embed.weight.detach().cpu().double().numpy()     # (V, dim)


def cbow_batch(ids: torch.Tensor, window: int, batch_size: int,
               generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """``(context (B, 2 * window), centre (B,))`` at ``batch_size`` positions drawn with
    ``generator`` from those with ``window`` tokens on each side."""
    if ids.ndim != 1 or len(ids) < 2 * window + 1:
        raise ValueError(f"ids must be 1-D with at least 2 * window + 1 = {2 * window + 1} tokens, "
                         f"got shape {tuple(ids.shape)}")
    if window < 1 or batch_size < 1:
        raise ValueError(f"window and batch_size must be >= 1, got {window} and {batch_size}")
    offsets = torch.tensor([o for o in range(-window, window + 1) if o])      # (2w,)
    centre = torch.randint(window, len(ids) - window, (batch_size,), generator=generator)  # (B,)
    return ids[centre[:, None] + offsets], ids[centre]


@dataclass
class CBOWHistory:
    losses: list[float] = field(default_factory=list)   # cross-entropy (nats) at every step
    seconds: float = 0.0                                 # wall-clock seconds of training
    cpu_seconds: float = 0.0                             # CPU seconds of this process, all threads


def train_cbow(ids: torch.Tensor, vocab_size: int, generator: torch.Generator, dim: int = 64,
               window: int = 2, steps: int = 1000, batch_size: int = 512,
               lr: float = 1e-2, threads: int | None = 1) -> tuple[TokenCBOW, CBOWHistory]:
    """A :class:`TokenCBOW` trained with Adam for ``steps`` steps on batches of
    :func:`cbow_batch`; the initial weights and the batches come from ``generator``,
    so a seeded generator gives the same embeddings on every run (on one machine
    and torch version). Returns the model (eval mode) and its history.

    ``threads``: torch's thread count during training (restored afterwards;
    ``None`` leaves it alone). One is the default because the model is small:
    on a busy two-core machine, two threads spent 82 s of CPU on what one
    thread did in 11 s (the same numbers, slower), waiting for each other.
    """
    import time

    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    if ids.ndim != 1 or int(ids.min()) < 0 or int(ids.max()) >= vocab_size:
        raise ValueError(f"ids must be 1-D in [0, {vocab_size}), got shape {tuple(ids.shape)} "
                         f"with values in [{int(ids.min())}, {int(ids.max())}]")
    with torch.random.fork_rng(devices=[]):         # the default init leaves the global RNG as found
        model = TokenCBOW(vocab_size, dim)
    with torch.no_grad():                           # the initial weights come from the generator
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=generator) * (0.1 if p.dim() == 2 else 0.0))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = CBOWHistory()
    was_threads = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    t0, c0 = time.perf_counter(), time.process_time()
    model.train()
    try:
        for _ in range(steps):
            context, centre = cbow_batch(ids, window, batch_size, generator)   # (B, 2w), (B,)
            loss = F.cross_entropy(model(context), centre)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            history.losses.append(loss.item())
    finally:
        torch.set_num_threads(was_threads)
    history.seconds, history.cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    return model.eval(), history


@dataclass
class TokenEmbeddings:
    """What :func:`token_embeddings` made: the merges, the vocabulary, the embedding matrix."""
    merges: list[tuple[str, str]]
    vocab: TokenIds
    E: np.ndarray                # (V, dim) float64, row i for vocab.strings[i]
    model: TokenCBOW
    history: CBOWHistory

    def nearest(self, token: str, k: int = 6) -> list[str]:
        """The ``k`` tokens whose embeddings are closest (cosine) to ``token``'s."""
        return self.vocab.decode(cosine_nearest(self.E, self.vocab.index[token], k))


def token_embeddings(text: str, n_merges: int = 1000, seed: int = 0, **train) -> TokenEmbeddings:
    """BPE-tokenise ``text`` with ``n_merges`` merges learned on it, and train a
    :class:`TokenCBOW` on the tokens (``train``: the keywords of :func:`train_cbow`)."""
    from nncourse.bpe import bpe_encode, bpe_train

    merges = bpe_train(text, n_merges)
    tokens = bpe_encode(text, merges)
    vocab = TokenIds(tokens)
    generator = torch.Generator().manual_seed(seed)
    model, history = train_cbow(vocab.encode(tokens), len(vocab), generator, **train)
    return TokenEmbeddings(merges, vocab, model.embedding(), model, history)
