"""Byte-pair encoding (chapter 11): subword tokens learned by merging frequent pairs.

- ``bpe_train(text, n_merges)``     the merges ``[(a, b), ...]``, as the syllabus defines them
- ``bpe_encode(text, merges)``      the text's tokens (strings) after applying the merges in order
- ``bpe_decode(tokens)``            the text again: the tokens joined
- ``bpe_trace(text, n_merges)``     the merges and the sequence length after each of them
- ``bpe_table(text, merge_counts, held_out=None)``
                                    rows of the chapter's table: vocabulary size, tokens
                                    and tokens per character after 0, 100, 500, ... merges

The rules (``../shared/SYLLABUS.md``, chapter 11): start from the text's
characters as tokens; at each step count every adjacent pair of the current
sequence, overlaps included (``a a a`` holds ``(a, a)`` twice); merge the most
frequent pair, ties going to the pair whose first occurrence comes first;
replace its occurrences left to right without overlap (``a a a`` becomes
``aa a``) by the token ``a + b``; stop after ``n_merges`` merges or when the
most frequent pair is counted fewer than twice. Tokens are strings: two merges
that make the same string (``ab + c`` and ``a + bc``) make the same token.

Despite the name, the units are the characters of a Python ``str`` (Unicode
code points), not bytes: the course's texts are characters, as in chapter 7.

The work is NumPy: the sequence is an array of integer ids; the count of
every pair ``left * V + right`` is kept in one array, counted once with
``np.bincount`` and then updated only around the merged positions; a merge
is a mask and a copy, a few passes over the array. 1000 merges of 500,000
characters of Shakespeare take about 2-3 s of CPU (``benchmarks/bpe_speed.py``).
The tests compare it with a plain loop written from the rules above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_BINCOUNT_MAX = 1 << 24          # above this many (V * V) pair codes, count with np.unique


def _check_text(text) -> str:
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    return text


def _check_n_merges(n_merges) -> int:
    if isinstance(n_merges, bool) or not isinstance(n_merges, (int, np.integer)) or n_merges < 0:
        raise ValueError(f"n_merges must be an int >= 0, got {n_merges!r}")
    return int(n_merges)


def _check_merges(merges) -> list[tuple[str, str]]:
    if isinstance(merges, (str, bytes)) or not hasattr(merges, "__iter__"):
        raise ValueError(f"merges must be a list of (a, b) pairs of strings, got {type(merges).__name__}")
    out = []
    for m in merges:
        if (not isinstance(m, (tuple, list)) or len(m) != 2
                or not all(isinstance(s, str) and s for s in m)):
            raise ValueError(f"each merge must be a pair (a, b) of non-empty strings, got {m!r}")
        out.append((m[0], m[1]))
    return out


class _Vocab:
    """Token strings <-> integer ids, one id per distinct string."""

    def __init__(self, tokens):
        self.strings: list[str] = []
        self.ids: dict[str, int] = {}
        for t in tokens:
            self.id(t)

    def id(self, s: str) -> int:
        i = self.ids.get(s)
        if i is None:
            i = self.ids[s] = len(self.strings)
            self.strings.append(s)
        return i

    def __len__(self) -> int:
        return len(self.strings)


def _char_ids(text: str, vocab: _Vocab) -> np.ndarray:
    """The text as an int32 array of character ids ``(N,)`` (ids in order of first appearance)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)      # (N,) code points
    uniq, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    order = np.argsort(first)                                            # by first appearance
    for u in uniq[order]:
        vocab.id(chr(u))
    rank = np.empty(len(uniq), dtype=np.int32)
    rank[order] = [vocab.ids[chr(u)] for u in uniq[order]]
    return rank[inverse.reshape(-1)]                                     # (N,)


def _merge_positions(seq: np.ndarray, a: int, b: int) -> np.ndarray:
    """Where the pairs ``(a, b)`` that a left-to-right merge replaces start: ``(K,)`` sorted."""
    pos = np.flatnonzero((seq[:-1] == a) & (seq[1:] == b))              # (K,) every occurrence
    if a == b and len(pos) > 1:
        # A run of L equal tokens holds the pair at L - 1 consecutive positions; reading
        # left to right takes the 1st, 3rd, 5th... of them (a a a -> aa a).
        j = np.arange(len(pos))
        starts = np.ones(len(pos), dtype=bool)
        starts[1:] = pos[1:] != pos[:-1] + 1                             # a new run begins
        run_start = np.maximum.accumulate(np.where(starts, j, 0))
        pos = pos[(j - run_start) % 2 == 0]
    return pos


def _replace(seq: np.ndarray, pos: np.ndarray, c: int) -> np.ndarray:
    """``seq`` with the token at each of ``pos`` set to ``c`` and the one after it removed."""
    out = seq.copy()
    out[pos] = c
    keep = np.ones(len(seq), dtype=bool)
    keep[pos + 1] = False                                                # the pair's right half
    return out[keep]


def _merge(seq: np.ndarray, a: int, b: int, c: int) -> np.ndarray:
    """``seq`` with the pairs ``(a, b)`` replaced by ``c``, left to right without overlap."""
    if len(seq) < 2:
        return seq
    pos = _merge_positions(seq, a, b)
    return _replace(seq, pos, c) if len(pos) else seq


def _pairs_at(seq: np.ndarray, idx: np.ndarray, V: int) -> np.ndarray:
    """The codes ``left * V + right`` of the pairs starting at ``idx`` (kept in range, once)."""
    idx = np.unique(idx)
    idx = idx[(idx >= 0) & (idx < len(seq) - 1)]
    return seq[idx] * V + seq[idx + 1]


class _PairCounts:
    """Counts of every adjacent pair of a sequence, kept up to date through merges.

    Dense (an array of ``V * V`` counts, updated only around the merged positions)
    when that fits; otherwise recounted with ``np.unique`` at each step.
    """

    def __init__(self, seq: np.ndarray, V: int):
        self.V = V
        self.dense = V * V <= _BINCOUNT_MAX
        if self.dense:
            self.counts = np.bincount(seq[:-1] * V + seq[1:], minlength=V * V).astype(np.int32)

    def best(self, seq: np.ndarray, n_ids: int) -> tuple[int, int, int]:
        """``(a, b, count)`` of the most frequent pair (ties: first occurrence first);
        ``n_ids``: the ids in use so far (all below it)."""
        V = self.V
        if self.dense:
            counts = self.counts[: n_ids * V]          # codes with a left id < n_ids
            code = int(np.argmax(counts))                                # the lowest code if tied
            best = int(counts[code])
            winners = np.flatnonzero(counts == best)
            if best >= 2 and len(winners) > 1:         # the tied pair that occurs first
                tied = np.zeros(len(counts), dtype=bool)
                tied[winners] = True
                codes = seq[:-1] * V + seq[1:]                           # (N - 1,)
                code = int(codes[np.argmax(tied[codes])])
        else:
            wide = seq.astype(np.int64)                # codes beyond int32
            uniq, first, counts = np.unique(wide[:-1] * V + wide[1:], return_index=True,
                                            return_counts=True)
            best = int(counts.max())
            tied = counts == best
            code = int(uniq[tied][np.argmin(first[tied])])
        return code // V, code % V, best

    def merge(self, seq: np.ndarray, a: int, b: int, c: int) -> np.ndarray:
        """Merge ``(a, b)`` into ``c`` in ``seq`` (returned) and update the counts."""
        pos = _merge_positions(seq, a, b)                                # (K,)
        new = _replace(seq, pos, c)
        if self.dense:
            # Only pairs that touch a merged pair change: before, those starting at p - 1,
            # p and p + 1; after, at q - 1 and q, where q = p minus the merges before it.
            np.subtract.at(self.counts, _pairs_at(seq, np.concatenate([pos - 1, pos, pos + 1]), self.V), 1)
            q = pos - np.arange(len(pos))
            np.add.at(self.counts, _pairs_at(new, np.concatenate([q - 1, q]), self.V), 1)
        return new


def bpe_trace(text: str, n_merges: int) -> tuple[list[tuple[str, str]], list[int]]:
    """``(merges, lengths)``: what :func:`bpe_train` learns, and the number of tokens
    before any merge (``lengths[0] == len(text)``) and after each merge (``lengths[k]``)."""
    text, n_merges = _check_text(text), _check_n_merges(n_merges)
    vocab = _Vocab(())
    seq = _char_ids(text, vocab)                                         # (N,)
    merges: list[tuple[str, str]] = []
    lengths = [len(seq)]
    if len(seq) < 2:
        return merges, lengths
    V = len(vocab) + n_merges                   # ids stay below V, so pair codes are unique
    pairs = _PairCounts(seq, V)
    while len(merges) < n_merges:
        a, b, count = pairs.best(seq, len(vocab))
        if count < 2:
            break
        sa, sb = vocab.strings[a], vocab.strings[b]
        seq = pairs.merge(seq, a, b, vocab.id(sa + sb))
        merges.append((sa, sb))
        lengths.append(len(seq))
    return merges, lengths


def bpe_train(text: str, n_merges: int) -> list[tuple[str, str]]:
    """The byte-pair merges learned from ``text``: at most ``n_merges`` pairs ``(a, b)``.

    Start from the characters; repeatedly merge the most frequent adjacent pair
    (counted with overlaps; ties: the pair whose first occurrence comes first),
    replacing its occurrences left to right without overlap by ``a + b``; stop
    after ``n_merges`` merges or when the most frequent pair occurs fewer than
    twice. Applying the merges with :func:`bpe_encode` to ``text`` gives the
    sequence the training ended with.
    """
    return bpe_trace(text, n_merges)[0]


def _encode_ids(text: str, merges: list[tuple[str, str]]) -> tuple[np.ndarray, _Vocab]:
    vocab = _Vocab(())
    seq = _char_ids(text, vocab)                                         # (N,)
    for sa, sb in merges:
        a, b = vocab.ids.get(sa), vocab.ids.get(sb)
        if a is None or b is None:              # a token the text never forms: nothing to merge
            vocab.id(sa + sb)
            continue
        seq = _merge(seq, a, b, vocab.id(sa + sb))
    return seq, vocab


def bpe_encode(text: str, merges) -> list[str]:
    """``text`` as a list of token strings: its characters, then each merge ``(a, b)``
    applied in order, left to right without overlap, as in :func:`bpe_train`.

    Every merge is applied, however rare its pair in this text. The tokens
    joined give ``text`` back (:func:`bpe_decode`).
    """
    text, merges = _check_text(text), _check_merges(merges)
    seq, vocab = _encode_ids(text, merges)
    return np.asarray(vocab.strings, dtype=object)[seq].tolist() if len(seq) else []


def bpe_decode(tokens) -> str:
    """The text that the tokens spell: their concatenation."""
    if isinstance(tokens, str):
        raise ValueError("tokens must be a list of strings, got one str")
    tokens = list(tokens)
    if not all(isinstance(t, str) for t in tokens):
        raise ValueError("tokens must be a list of strings")
    return "".join(tokens)


@dataclass(frozen=True)
class BPERow:
    """One row of the chapter's table: the tokenisation after ``merges`` merges."""
    merges: int              # merges applied (fewer than asked if training stopped early)
    vocab_size: int          # distinct characters of the text + distinct merged tokens
    tokens: int              # tokens of the training text
    tokens_per_char: float   # tokens / characters of the training text
    held_out_tokens_per_char: float | None = None   # the same on ``held_out`` text, if given


def bpe_table(text: str, merge_counts=(0, 100, 500, 1000), held_out: str | None = None
              ) -> list[BPERow]:
    """Rows for each number of merges in ``merge_counts`` (one training run, to the largest).

    ``vocab_size`` counts the text's distinct characters plus the distinct
    strings the merges made; ``tokens_per_char`` is the length of the training
    text's encoding over its length. With ``held_out`` (a text the merges were
    not learned from), each row also encodes it with the same merges.
    """
    text = _check_text(text)
    if not text:
        raise ValueError("text must not be empty")
    counts = [_check_n_merges(k) for k in merge_counts]
    if not counts:
        raise ValueError("merge_counts must name at least one number of merges")
    if held_out is not None and not _check_text(held_out):
        raise ValueError("held_out must not be empty")
    merges, lengths = bpe_trace(text, max(counts))
    n_chars = len(set(text))
    # distinct[k]: distinct strings made by merges[:k] (two merges may make the same one;
    # a merged string has two characters or more, so it is never one of the text's)
    seen: set[str] = set()
    distinct = [0]
    for a, b in merges:
        seen.add(a + b)
        distinct.append(len(seen))
    rows = []
    for k in counts:
        k = min(k, len(merges))
        held = None
        if held_out is not None:
            held = len(_encode_ids(held_out, merges[:k])[0]) / len(held_out)
        rows.append(BPERow(k, n_chars + distinct[k], lengths[k], lengths[k] / len(text), held))
    return rows
