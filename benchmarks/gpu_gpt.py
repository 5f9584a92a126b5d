"""Benchmark: training throughput of the chapter-8 GPT in fp32, bf16 autocast and bf16 + torch.compile.

Trains ``nncourse.gpt.GPT`` on random windows of the Shakespeare text (the
batches are drawn on the host and copied to the device every step, from
pinned memory on CUDA, as a real run does) and prints, for each mode, the
median tokens per second over the timed steps, the model FLOPs utilisation
(MFU), the median step time, the peak memory the CUDA allocator held, and the
time of the first step (which includes compilation for ``torch.compile``).

FLOPs per token are ``6 N + 12 L d T`` (``nncourse.gpu.model_flops_per_token``).
MFU divides by the device's dense bf16 peak, for every mode: from the table
``nncourse.gpu.PEAK_BF16_FLOPS`` by the device's name, or ``--peak-tflops``.
A CPU has no data-sheet figure here: its "peak" is the measured speed of a
1024 x 1024 float32 matrix product on the same threads, so CPU MFU says how
close training comes to this machine's own matrix-product speed.

    .venv/bin/python benchmarks/gpu_gpt.py             # GPU size: 12 layers, d 768, T 1024, batch 16
    .venv/bin/python benchmarks/gpu_gpt.py --small     # CPU size: 2 layers, d 64, T 64, batch 16
    [--steps 20] [--warmup 5] [--modes fp32,bf16,bf16+compile] [--batch-size B]
    [--peak-tflops X] [--tf32] [--threads N] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import torch

from nncourse.datasets import shakespeare
from nncourse.gpt import GPT
from nncourse.gpu import (get_device, matmul_flops, mfu, model_flops_per_token,
                          peak_flops, synchronize, train_throughput)
from nncourse.text import CharVocab, random_windows

CONFIGS = {
    "gpu": dict(n_layer=12, n_head=12, d_model=768, block_size=1024, batch_size=16),
    "small": dict(n_layer=2, n_head=4, d_model=64, block_size=64, batch_size=16),
}
MODES = {"fp32": (None, False), "bf16": (torch.bfloat16, False), "bf16+compile": (torch.bfloat16, True)}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--small", action="store_true", help="the CPU-sized configuration")
    p.add_argument("--steps", type=int, default=20, help="timed steps per mode (default 20)")
    p.add_argument("--warmup", type=int, default=5, help="untimed steps first (default 5)")
    p.add_argument("--modes", default=",".join(MODES), help="comma-separated, from " + ", ".join(MODES))
    p.add_argument("--batch-size", type=int, default=None, help="windows per step (default: the config's)")
    p.add_argument("--peak-tflops", type=float, default=None, help="the device's peak, TFLOP/s")
    p.add_argument("--tf32", action="store_true", help="allow TF32 matrix products in fp32 mode (CUDA)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads (default: torch's)")
    p.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = p.parse_args(argv)
    unknown = set(args.modes.split(",")) - set(MODES)
    if unknown:
        p.error(f"unknown modes {sorted(unknown)}")
    return args


def cpu_name() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def device_peak(device: torch.device, override_tflops: float | None) -> tuple[float, str]:
    """``(peak FLOP/s, where the figure comes from)``."""
    if override_tflops is not None:
        return override_tflops * 1e12, "--peak-tflops"
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        peak = peak_flops(name)
        if peak is None:
            sys.exit(f"no peak FLOP/s known for {name!r}: pass --peak-tflops")
        return peak, f"bf16 dense, data sheet of {name}"
    return matmul_flops(1024, device), "measured 1024 x 1024 float32 matmul on this CPU"


def run_mode(mode: str, cfg: dict, vocab_size: int, ids: torch.Tensor, device: torch.device,
             steps: int, warmup: int) -> dict:
    dtype, compile_ = MODES[mode]
    torch.manual_seed(0)
    model = GPT(vocab_size, cfg["block_size"], n_layer=cfg["n_layer"], n_head=cfg["n_head"],
                d_model=cfg["d_model"]).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, fused=device.type == "cuda")
    if compile_:
        model = torch.compile(model)
    gen = torch.Generator().manual_seed(0)
    pin = device.type == "cuda"

    def batches():
        x, y = random_windows(ids, cfg["batch_size"], cfg["block_size"], gen)   # (B, T) on the host
        if pin:
            x, y = x.pin_memory(), y.pin_memory()
        return x.to(device, non_blocking=pin), y.to(device, non_blocking=pin)

    t0 = time.perf_counter()                   # the first step alone: compilation, allocation
    train_throughput(model, optimizer, batches, dtype=dtype, steps=1, warmup=0)
    synchronize(device)
    first = time.perf_counter() - t0
    r = train_throughput(model, optimizer, batches, dtype=dtype, steps=steps, warmup=max(warmup - 1, 0))
    r["first_step_s"] = first
    return r


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.tf32:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    cfg = dict(CONFIGS["small" if args.small else "gpu"])
    if args.batch_size:
        cfg["batch_size"] = args.batch_size
    device = get_device()
    train_text, val_text = shakespeare()
    vocab = CharVocab(train_text + val_text)
    ids = vocab.encode(train_text[:2_000_000])
    peak, source = device_peak(device, args.peak_tflops)

    model = GPT(len(vocab), cfg["block_size"], n_layer=cfg["n_layer"], n_head=cfg["n_head"],
                d_model=cfg["d_model"])
    # N without the embedding tables (Kaplan et al. 2020; chapter 9): a lookup is not a product
    n_params = sum(p.numel() for name, p in model.named_parameters() if "emb" not in name)
    fpt = model_flops_per_token(n_params, cfg["n_layer"], cfg["d_model"], cfg["block_size"])
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else cpu_name()
    print(f"device: {device.type} ({name}), torch {torch.__version__}, "
          f"{torch.get_num_threads()} CPU threads")
    print(f"peak: {peak / 1e12:.3g} TFLOP/s ({source})")
    print(f"model: GPT, {cfg['n_layer']} layers, d_model {cfg['d_model']}, {cfg['n_head']} heads, "
          f"T {cfg['block_size']}, vocabulary {len(vocab)}: {n_params:,} parameters, "
          f"{fpt / 1e6:.2f} MFLOPs per token; batch {cfg['batch_size']} x {cfg['block_size']} tokens")
    print(f"{args.warmup} warm-up and {args.steps} timed steps per mode; medians\n")
    print(f"{'mode':14} {'tokens/s':>12} {'MFU':>7} {'step ms':>9} {'peak memory':>12} "
          f"{'first step s':>13} {'loss':>7}")
    results = []
    for mode in args.modes.split(","):
        try:
            r = run_mode(mode, cfg, len(vocab), ids, device, args.steps, args.warmup)
        except Exception as e:                 # e.g. torch.compile without a working compiler
            print(f"{mode:14} failed: {type(e).__name__}: {str(e).splitlines()[0][:100]}")
            results.append({"mode": mode, "error": f"{type(e).__name__}: {e}"})
            continue
        u = mfu(r["tokens_per_s"], fpt, peak)
        mem = f"{r['peak_memory'] / 2**30:.2f} GiB" if r["peak_memory"] is not None else "n/a"
        print(f"{mode:14} {r['tokens_per_s']:12,.0f} {u:7.1%} {statistics.median(r['step_s']) * 1e3:9.1f} "
              f"{mem:>12} {r['first_step_s']:13.1f} {r['loss']:7.3f}", flush=True)
        results.append({"mode": mode, "tokens_per_s": r["tokens_per_s"], "mfu": u,
                        "step_s": r["step_s"], "peak_memory": r["peak_memory"],
                        "first_step_s": r["first_step_s"], "loss": r["loss"]})
    if args.json:
        args.json.write_text(json.dumps({"device": name, "torch": torch.__version__, "peak_flops": peak,
                                         "peak_source": source, "config": cfg, "n_params": n_params,
                                         "flops_per_token": fpt, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
