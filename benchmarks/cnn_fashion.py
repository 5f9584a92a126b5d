"""Benchmark: chapter 6's CNN on Fashion-MNIST against an MLP, at the same time budget.

Trains ``nncourse.models.build_cnn`` (the network the chapter trains) on the
full 60,000 training images for at most ``--budget`` seconds (default 90) with
``nncourse.training.fit``: AdamW, batch 128, a cosine learning-rate decay over
the time budget, one thread per op by default. Then the same for the MLP
baseline ``build_mlp``. Prints the accuracy on the official 10,000 test
images, the training seconds, epochs and parameters of each, and the load
average of the machine (other jobs slow the training down and so cost
epochs). The goal is >= 90% test accuracy for the CNN; the exit status is 1
when a seed misses it.

    .venv/bin/python benchmarks/cnn_fashion.py [--seeds 1] [--budget 90] [--threads 1]
                                               [--json benchmarks/results/quality.json]

With ``--json PATH`` the runs of seed 0 become the rows ``cnn_fashion`` and
``mlp_fashion`` of the quality table in PATH (format: ``nncourse.quality``).
Their learning curves are the test accuracy of a copy of the weights taken
after each epoch, evaluated once training is over, so that evaluating costs
the training none of its time budget.
"""

from __future__ import annotations

import argparse
import copy
import math
import os
import platform
import sys
from time import perf_counter, process_time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from nncourse import quality
from nncourse.datasets import fashion_mnist
from nncourse.models import build_cnn, build_mlp, count_parameters
from nncourse.training import evaluate, fit

GOAL = 0.90


def time_cosine(optimizer, budget: float):
    """A scheduler (stepped once per epoch) whose factor follows a cosine from 1 to 0
    over ``budget`` seconds of wall-clock time, starting now."""
    start = perf_counter()
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda _: 0.5 * (1 + math.cos(math.pi * min(1.0, (perf_counter() - start) / budget))))


def load():
    """Standardised ``(N, 1, 28, 28)`` float tensors (training-set mean and std) and labels."""
    X, y = fashion_mnist("train")
    X_test, y_test = fashion_mnist("test")
    X = torch.tensor(X).float().div(255).unsqueeze(1)
    X_test = torch.tensor(X_test).float().div(255).unsqueeze(1)
    mean, std = X.mean(), X.std()
    return (X - mean) / std, torch.tensor(y), (X_test - mean) / std, torch.tensor(y_test)


class Snapshots:
    """Passed to ``fit`` as its ``plot``: keeps the weights and the training
    seconds after every epoch (a copy of a small state dict; no evaluation)."""

    def __init__(self, model):
        self.model, self.seconds, self.states = model, [], []

    def update(self, history):
        self.seconds.append(history.seconds)
        self.states.append(copy.deepcopy(self.model.state_dict()))


def run(name: str, build, lr: float, seed: int, budget: float, data) -> dict:
    X, y, X_test, y_test = data
    torch.manual_seed(seed)
    model = build(10)
    train_loader = DataLoader(TensorDataset(X, y), batch_size=128, shuffle=True,
                              generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    snapshots = Snapshots(model)
    load_before = os.getloadavg()[0]
    cpu0 = process_time()
    history = fit(model, train_loader, optimizer, nn.CrossEntropyLoss(), epochs=1000,
                  max_seconds=budget, scheduler=time_cosine(optimizer, budget),
                  progress=False, plot=snapshots)
    cpu = process_time() - cpu0
    load_after = os.getloadavg()[0]
    test_loader = DataLoader(TensorDataset(X_test, y_test), batch_size=1000)
    acc = evaluate(model, test_loader)
    curve = []
    for state in snapshots.states:
        model.load_state_dict(state)
        curve.append(evaluate(model, test_loader))
    return dict(name=name, seed=seed, acc=acc, seconds=history.seconds, cpu=cpu,
                epochs=len(history.train_loss), params=count_parameters(model),
                load=(load_before + load_after) / 2, loads=(load_before, load_after),
                curve=(snapshots.seconds, curve), lr=lr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=1, help="training seeds 0..N-1 (default 1)")
    ap.add_argument("--budget", type=float, default=90.0, help="training seconds per model")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    ap.add_argument("--no-mlp", action="store_true", help="skip the MLP baseline")
    ap.add_argument("--json", metavar="PATH", help="record seed 0 in this quality-table file")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)

    data = load()
    print(f"Fashion-MNIST: train {tuple(data[0].shape)}, test {tuple(data[2].shape)}; AdamW, "
          f"batch 128, cosine decay over {args.budget:g} s; torch {torch.__version__}, "
          f"{args.threads} thread(s), {os.cpu_count()} CPUs, "
          f"{platform.processor() or platform.machine()}")
    print(f"{'model':>5} {'seed':>4} {'params':>8} {'epochs':>6} {'train s':>7} "
          f"{'test acc':>8} {'load':>5}")
    rows = []
    for seed in range(args.seeds):
        models = [("CNN", build_cnn, 3e-3)] + ([] if args.no_mlp else [("MLP", build_mlp, 1e-3)])
        for name, build, lr in models:
            r = run(name, build, lr, seed, args.budget, data)
            rows.append(r)
            print(f"{r['name']:>5} {seed:>4} {r['params']:>8,} {r['epochs']:>6} "
                  f"{r['seconds']:>7.1f} {r['acc']:>8.2%} {r['load']:>5.1f}", flush=True)
    for r in rows if args.json else []:
        if r["seed"] == 0:
            mid = {"CNN": "cnn_fashion", "MLP": "mlp_fashion"}[r["name"]]
            quality.record(args.json, mid, value=r["acc"], train_seconds=r["seconds"],
                           cpu_seconds=r["cpu"], params=r["params"], curve=r["curve"],
                           settings={"budget_s": args.budget, "epochs": r["epochs"], "batch": 128,
                                     "optimizer": "AdamW", "lr": r["lr"],
                                     "schedule": "cosine over the time budget", "seed": 0,
                                     "threads": args.threads},
                           command=" ".join(["benchmarks/cnn_fashion.py", *(argv or sys.argv[1:])]),
                           load=r["loads"])
            print(f"recorded seed 0 as {mid} in {args.json}")
    cnn = [r["acc"] for r in rows if r["name"] == "CNN"]
    ok = min(cnn) >= GOAL
    print(("PASS" if ok else "FAIL") + f": CNN test accuracy >= {GOAL:.0%} for every seed "
          f"(min {min(cnn):.2%}) within {args.budget:g} s of training")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
