"""Benchmark: chapter 4's NumPy MLP on scikit-learn's digits.

Trains the chapter's model (64-256-128-10, He init, mini-batch Adam, the
code in ``nncourse.numpy_mlp`` that the chapter's final training run uses)
once per seed and prints its test accuracy, wall-clock and CPU seconds.
The chapter promises >= 97% test accuracy within 10 s of CPU; the exit status
is 1 when a seed misses either.

    .venv/bin/python benchmarks/mlp_digits.py [--seeds 5] [--epochs 30] [--blas-threads 1]
                                              [--json benchmarks/results/quality.json]

With ``--json PATH`` the run of seed 0 (the chapter's) becomes the row
``mlp_digits`` of the quality table in PATH (format: ``nncourse.quality``);
its learning curve places the end of epoch k at k/epochs of the training
time (every epoch does the same work).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

import numpy as np

from nncourse import quality
from nncourse.data import digits
from nncourse.numpy_mlp import train_mlp

MIN_ACCURACY = 0.97
MAX_CPU_SECONDS = 10.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=5, help="training seeds 0..N-1 (default 5)")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--blas-threads", type=int, default=1,
                    help="BLAS threads while training; 0 = library default (default 1)")
    ap.add_argument("--json", metavar="PATH", help="record seed 0 in this quality-table file")
    args = ap.parse_args(argv)

    X_train, y_train, X_test, y_test = digits()   # the chapter's split (seed 0)
    print(f"digits: train {X_train.shape}, test {X_test.shape}; model 64-256-128-10, "
          f"Adam lr 2e-3, batch 64, {args.epochs} epochs; "
          f"BLAS threads {args.blas_threads or 'default'}; {os.cpu_count()} CPUs, "
          f"{platform.processor() or platform.machine()}")
    print(f"{'seed':>4} {'test acc':>9} {'wall s':>7} {'CPU s':>7}")
    rows, hists, loads = [], [], []
    for seed in range(args.seeds):
        load_before = quality.load_average()
        # the test set as train_mlp's held-out set: measured after every epoch only
        # to record the learning curve; the benchmark chooses nothing by it
        params, hist = train_mlp(X_train, y_train, X_test, y_test, hidden=(256, 128),
                                 epochs=args.epochs, batch_size=64, lr=2e-3, seed=seed,
                                 blas_threads=args.blas_threads or None)
        rows.append((hist.val_acc[-1], hist.time, hist.cpu))
        hists.append((hist, sum(W.size + b.size for W, b in params)))
        loads.append((load_before, quality.load_average()))
        print(f"{seed:>4} {hist.val_acc[-1]:>9.2%} {hist.time:>7.2f} {hist.cpu:>7.2f}", flush=True)
    acc, wall, cpu = np.array(rows).T
    print(f"mean {acc.mean():>9.2%} {wall.mean():>7.2f} {cpu.mean():>7.2f}")
    print(f"min  {acc.min():>9.2%} {wall.min():>7.2f} {cpu.min():>7.2f}")
    print(f"max  {acc.max():>9.2%} {wall.max():>7.2f} {cpu.max():>7.2f}")
    ok = acc.min() >= MIN_ACCURACY and cpu.max() <= MAX_CPU_SECONDS
    if args.json:
        (h, n_params), E = hists[0], args.epochs
        quality.record(args.json, "mlp_digits", value=h.val_acc[-1], train_seconds=h.time,
                       cpu_seconds=h.cpu, params=int(n_params),
                       curve=([h.time * (k + 1) / E for k in range(E)], h.val_acc),
                       settings={"epochs": E, "batch": 64, "optimizer": "Adam", "lr": 2e-3,
                                 "seed": 0, "threads": args.blas_threads or "default",
                                 "test_acc_all_seeds": [round(float(a), 4) for a in acc]},
                       command=" ".join(["benchmarks/mlp_digits.py", *(argv or sys.argv[1:])]),
                       load=loads[0])
        print(f"recorded seed 0 as mlp_digits in {args.json}")
    print(("PASS" if ok else "FAIL") + f": every seed >= {MIN_ACCURACY:.0%} test accuracy "
          f"within {MAX_CPU_SECONDS:g} s CPU")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
