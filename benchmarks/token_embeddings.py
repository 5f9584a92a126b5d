"""How readable are learned token embeddings, and what do they cost? (chapter 11)

Tokenises the first ``--chars`` characters of the Shakespeare training text with
``--merges`` BPE merges (``nncourse.bpe``), trains ``nncourse.embeddings.TokenCBOW``
for ``--steps`` steps (one thread, seeded) and prints, for a list of query tokens,
their nearest neighbours by cosine similarity, and a probe: of the pairs in
``PAIRS`` (tokens a reader expects to be close: ``him``/``her``, ``is``/``was``,
``my``/``thy``, ``father``/``brother``...) present in the vocabulary, how many
have the second token among the first's ``--k`` nearest neighbours.
``--model gpt`` trains chapter 8's GPT (``SHAKESPEARE_GPT``, its training recipe)
on the same tokens instead, and probes its token embedding and its output head
(``--tie``: one matrix for both).

    .venv/bin/python benchmarks/token_embeddings.py
    .venv/bin/python benchmarks/token_embeddings.py --steps 500 --dim 32
    .venv/bin/python benchmarks/token_embeddings.py --model gpt --steps 350

Costs are CPU seconds of this process (``time.process_time``) beside wall seconds:
on a busy machine the wall clock measures the neighbours, not the work.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nncourse.bpe import bpe_encode, bpe_train  # noqa: E402
from nncourse.datasets import shakespeare  # noqa: E402
from nncourse.embeddings import TokenIds, cosine_nearest, train_cbow  # noqa: E402

QUERIES = ["thou ", "thee ", "thy ", "my ", "him ", "her ", "you ", "is ", "was ", "hath ",
           "the ", "good ", "love ", "lord", "father", "man", "king", "one ", "two ",
           "?\n\n", "A"]
PAIRS = [("him ", "her "), ("him ", "them "), ("me ", "him "), ("thee ", "me "), ("is ", "was "),
         ("was ", "were "), ("my ", "thy "), ("my ", "his "), ("your ", "my "), ("the ", "this "),
         ("father", "brother"), ("lord", "father"), ("hath ", "has "), ("you ", "we "),
         ("I ", "you "), ("he ", "she "), ("?\n\n", "!\n\n"), ("good ", "great "),
         ("shall ", "will "), ("would ", "should "), ("man", "woman"), ("day", "night"),
         ("king", "queen"), ("one ", "two "), ("A", "I"), ("e", "o"), ("see ", "hear "),
         ("make ", "give "), ("come ", "go ")]


def probe(E: np.ndarray, vocab: TokenIds, k: int) -> tuple[int, int, list[tuple[str, str]]]:
    """``(hits, pairs present, misses)`` of ``PAIRS`` with the second token in the first's top k."""
    hits, n, misses = 0, 0, []
    for a, b in PAIRS:
        if a in vocab.index and b in vocab.index:
            n += 1
            if vocab.index[b] in cosine_nearest(E, vocab.index[a], k):
                hits += 1
            else:
                misses.append((a, b))
    return hits, n, misses


def report(name: str, E: np.ndarray, vocab: TokenIds, k: int) -> None:
    print(f"--- {name}")
    for q in QUERIES:
        if q not in vocab.index:
            print(f"{q!r:>10}: not a token")
            continue
        near = vocab.decode(cosine_nearest(E, vocab.index[q], 6))
        print(f"{q!r:>10} ({vocab.counts[vocab.index[q]]:>4}x) -> " + " ".join(map(repr, near)))
    hits, n, misses = probe(E, vocab, k)
    print(f"probe: {hits} of {n} pairs within the top {k}; missed {misses}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--chars", type=int, default=500_000)
    p.add_argument("--merges", type=int, default=1000)
    p.add_argument("--model", choices=("cbow", "gpt"), default="cbow")
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--window", type=int, default=2)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--tie", action="store_true", help="GPT: tie the head to the token embedding")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    torch.set_num_threads(1)
    text = shakespeare()[0][: a.chars]
    t0, c0 = time.perf_counter(), time.process_time()
    merges = bpe_train(text, a.merges)
    tokens = bpe_encode(text, merges)
    vocab = TokenIds(tokens)
    ids = vocab.encode(tokens)
    print(f"BPE: {len(text):,} characters, {len(merges)} merges -> {len(ids):,} tokens, "
          f"V = {len(vocab)}: {time.perf_counter() - t0:.1f} s ({time.process_time() - c0:.1f} s CPU)")
    generator = torch.Generator().manual_seed(a.seed)
    t0, c0 = time.perf_counter(), time.process_time()
    if a.model == "cbow":
        model, history = train_cbow(ids, len(vocab), generator, dim=a.dim, window=a.window,
                                    steps=a.steps, batch_size=a.batch, lr=a.lr)
        print(f"CBOW dim {a.dim}, window {a.window}, {a.steps} steps of {a.batch}: "
              f"{time.perf_counter() - t0:.1f} s ({time.process_time() - c0:.1f} s CPU), "
              f"last 50 losses {np.mean(history.losses[-50:]):.3f} nats")
        report("CBOW input embedding", model.embedding(), vocab, a.k)
    else:
        from nncourse.charlm import train_lm, warmup_cosine
        from nncourse.gpt import GPT, SHAKESPEARE_GPT, SHAKESPEARE_TRAINING as T

        torch.manual_seed(a.seed)
        model = GPT(len(vocab), tie_weights=a.tie, **SHAKESPEARE_GPT)
        opt = model.adamw(T["lr"], T["weight_decay"], T["betas"], fused=True)
        h = train_lm(model, ids, opt, a.steps, T["batch_size"], T["seq_len"], generator,
                     lr_schedule=warmup_cosine(T["warmup"], T["final_lr"]), progress=False)
        print(f"GPT {SHAKESPEARE_GPT}, tied {a.tie}, {a.steps} steps: {time.perf_counter() - t0:.1f} s "
              f"({time.process_time() - c0:.1f} s CPU), last 50 losses "
              f"{np.mean(h.train_bpc[-50:]) * np.log(2):.3f} nats")
        report("GPT token embedding", model.tok_emb.weight.detach().double().numpy(), vocab, a.k)
        if not a.tie:
            report("GPT output head", model.head.weight.detach().double().numpy(), vocab, a.k)
    return 0


if __name__ == "__main__":
    sys.exit(main())
