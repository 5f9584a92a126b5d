"""Benchmark: chapter 6's NumPy convolution against torch's CPU conv2d.

Times ``nncourse.conv.conv2d_forward`` (the im2col + one matrix product code
the chapter times) and ``torch.nn.functional.conv2d`` on the same float32
data, 3 x 3 kernels with padding 1, for the two layers of chapter 6's CNN on
a batch of 64:

- ``(64, 1, 28, 28)`` with 16 filters (the first layer),
- ``(64, 16, 14, 14)`` with 32 filters (the second layer).

Each time is the median of ``--repeats`` calls after one warm-up call; both
libraries get the same number of threads (``--threads``, default 1: torch's
intra-op threads and the BLAS behind NumPy's ``tensordot``). Prints both
times, their ratio (NumPy / torch) and the load average before and after.
The claim checked: NumPy is at most ``--claim`` (default 3) times slower;
the exit status is 1 when a ratio exceeds it. Wall-clock times on a shared
machine vary with its load; the ratio varies less, but still does.

    .venv/bin/python benchmarks/conv_numpy_vs_torch.py [--repeats 30] [--threads 1] [--claim 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
from time import perf_counter

import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

from nncourse.conv import conv2d_forward

LAYERS = [((64, 1, 28, 28), 16), ((64, 16, 14, 14), 32)]


def median_seconds(f, repeats: int) -> float:
    f()  # warm-up: first-call allocations and kernel selection
    times = []
    for _ in range(repeats):
        start = perf_counter()
        f()
        times.append(perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=30, help="timed calls per library and layer")
    ap.add_argument("--threads", type=int, default=1, help="threads for torch and for NumPy's BLAS")
    ap.add_argument("--claim", type=float, default=3.0, help="largest acceptable NumPy / torch ratio")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    load_before = os.getloadavg()
    print(f"float32, 3 x 3 kernels, padding 1, median of {args.repeats}; torch {torch.__version__}, "
          f"NumPy {np.__version__}, {args.threads} thread(s), {os.cpu_count()} CPUs, "
          f"{platform.processor() or platform.machine()}")
    print(f"{'input':>18} {'filters':>7} {'numpy ms':>9} {'torch ms':>9} {'ratio':>6}")
    ratios = []
    with threadpool_limits(limits=args.threads, user_api="blas"):
        for shape, filters in LAYERS:
            X = rng.normal(size=shape).astype(np.float32)
            W = rng.normal(size=(filters, shape[1], 3, 3)).astype(np.float32)
            b = rng.normal(size=filters).astype(np.float32)
            Xt, Wt, bt = (torch.from_numpy(a) for a in (X, W, b))
            np.testing.assert_allclose(conv2d_forward(X, W, b, padding=1),
                                       F.conv2d(Xt, Wt, bt, padding=1).numpy(), rtol=1e-4, atol=1e-3)
            t_numpy = median_seconds(lambda: conv2d_forward(X, W, b, padding=1), args.repeats)
            with torch.no_grad():
                t_torch = median_seconds(lambda: F.conv2d(Xt, Wt, bt, padding=1), args.repeats)
            ratios.append(t_numpy / t_torch)
            print(f"{str(shape):>18} {filters:>7} {t_numpy * 1e3:9.2f} {t_torch * 1e3:9.2f} "
                  f"{ratios[-1]:6.2f}", flush=True)
    load_after = os.getloadavg()
    print(f"load average (1, 5, 15 min): before {load_before[0]:.2f} {load_before[1]:.2f} "
          f"{load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    ok = max(ratios) <= args.claim
    print(("PASS" if ok else "FAIL") + f": NumPy at most {args.claim:g}x slower than torch "
          f"(ratios {', '.join(f'{r:.2f}' for r in ratios)})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
