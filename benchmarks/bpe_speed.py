"""What byte-pair encoding costs and does on Shakespeare (chapter 11's table).

For each ``--chars`` size, learns ``--merges`` merges on the first that many
characters of the Shakespeare training text (``nncourse.bpe.bpe_trace``) and
prints the CPU seconds (``time.process_time``) beside the wall seconds; then the
table of the chapter for the last size: vocabulary size, tokens and tokens per
character after 0, 100, 500 and 1000 merges, on the training sample and on as
many characters of the validation text; the first merges; and the cost of
encoding the validation sample with all the merges (``bpe_encode``).

    .venv/bin/python benchmarks/bpe_speed.py
    .venv/bin/python benchmarks/bpe_speed.py --chars 100000 300000 500000 --merges 1000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nncourse.bpe import bpe_encode, bpe_table, bpe_trace  # noqa: E402
from nncourse.datasets import shakespeare  # noqa: E402


def timed(fn, *args):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - t0, time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--chars", type=int, nargs="+", default=[100_000, 300_000, 500_000])
    p.add_argument("--merges", type=int, default=1000)
    p.add_argument("--table", type=int, nargs="+", default=[0, 100, 500, 1000])
    a = p.parse_args(argv)
    train, val = shakespeare()
    print(f"{'characters':>10} {'merges':>6} {'wall s':>7} {'CPU s':>6} {'tokens/char':>11}")
    for n in a.chars:
        (merges, lengths), wall, cpu = timed(bpe_trace, train[:n], a.merges)
        print(f"{n:>10,} {len(merges):>6} {wall:>7.2f} {cpu:>6.2f} {lengths[-1] / n:>11.3f}")
    text, held = train[: a.chars[-1]], val[: a.chars[-1]]
    rows, wall, cpu = timed(bpe_table, text, a.table, held)
    print(f"\nthe table on {len(text):,} training characters, {len(held):,} held-out "
          f"({wall:.2f} s, {cpu:.2f} s CPU):")
    print(f"{'merges':>6} {'vocab':>6} {'tokens':>8} {'tokens/char':>11} {'held out':>8}")
    for r in rows:
        print(f"{r.merges:>6} {r.vocab_size:>6} {r.tokens:>8,} {r.tokens_per_char:>11.3f} "
              f"{r.held_out_tokens_per_char:>8.3f}")
    print("\nfirst 20 merges:", " ".join(repr(x + y) for x, y in merges[:20]))
    print("merges 981-1000:", " ".join(repr(x + y) for x, y in merges[980:1000]))
    tokens, wall, cpu = timed(bpe_encode, held, merges)
    print(f"\nbpe_encode of {len(held):,} held-out characters with {len(merges)} merges: "
          f"{wall:.2f} s ({cpu:.2f} s CPU), {len(tokens):,} tokens")
    print("a held-out line:", " | ".join(bpe_encode(held[2000:2080], merges)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
