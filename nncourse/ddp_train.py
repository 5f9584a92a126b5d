"""Data-parallel training of the chapter-8 GPT with DistributedDataParallel (DDP).

Launch one process per device with torchrun; the script is the same on CPUs
(gloo backend) and on GPUs (NCCL backend, one GPU per process):

    torchrun --standalone --nproc_per_node=2 -m nncourse.ddp_train --steps 20 --out runs/ddp
    python -m nncourse.ddp_train --steps 20 --out runs/single    # one process, no DDP

How it works. torchrun starts ``nproc_per_node`` copies of this script and
tells each its ``RANK``, ``LOCAL_RANK`` and ``WORLD_SIZE`` in environment
variables. Every process builds the same model (DDP also broadcasts rank 0's
weights when it wraps the model) and draws the same *global* batch of
``--batch-size`` windows from a generator seeded identically everywhere; rank
``r`` keeps the ``r``-th slice of ``batch-size / world-size`` windows. During
``backward()`` DDP averages the gradients over all processes (an all-reduce,
bucket by bucket, overlapped with the rest of the backward pass), so every
process takes the same optimiser step and the weights stay identical: the
run equals single-process training on the whole global batch. (Real runs
give each rank a disjoint shard of the data, e.g. with
``torch.utils.data.DistributedSampler``, rather than drawing the global batch
everywhere; for random windows drawing it is nearly free and makes the
equality easy to see.)

``--out DIR`` saves each process's final weights to ``DIR/rank<r>.pt`` and the
logged losses to ``DIR/log.json`` (rank 0); run ``--help`` for the options.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP

from nncourse.datasets import shakespeare
from nncourse.gpt import GPT
from nncourse.gpu import get_device
from nncourse.text import CharVocab, random_windows

DTYPES = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=20, help="optimiser steps (default 20)")
    p.add_argument("--batch-size", type=int, default=32,
                   help="global batch, in windows, split evenly over the processes (default 32)")
    p.add_argument("--seq-len", type=int, default=64, help="window length = block size (default 64)")
    p.add_argument("--n-layer", type=int, default=2)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--d-model", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3, help="AdamW learning rate (default 3e-3)")
    p.add_argument("--clip", type=float, default=1.0, help="gradient-norm clipping (default 1)")
    p.add_argument("--dtype", choices=sorted(DTYPES), default="fp32",
                   help="autocast dtype of the forward pass (default fp32: no autocast)")
    p.add_argument("--chars", type=int, default=None,
                   help="train on the first CHARS characters of the training text only")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="CPU threads per process (default 1)")
    p.add_argument("--log-every", type=int, default=5)
    p.add_argument("--out", type=Path, default=None, help="folder for the weights and the log")
    return p.parse_args(argv)


def setup() -> tuple[int, int, torch.device]:
    """``(rank, world_size, device)``; joins the process group when started by torchrun.

    NCCL (GPUs, one per process: ``cuda:LOCAL_RANK``) when CUDA is available,
    gloo (CPUs) otherwise. Without torchrun: rank 0 of 1, the best device.
    """
    if "RANK" not in os.environ:
        return 0, 1, get_device()
    if torch.cuda.is_available():
        device = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
        torch.cuda.set_device(device)
        dist.init_process_group("nccl", device_id=device)
    else:
        device = torch.device("cpu")
        dist.init_process_group("gloo")
    return dist.get_rank(), dist.get_world_size(), device


def load_data(chars: int | None) -> tuple[CharVocab, torch.Tensor]:
    """The vocabulary of the whole Shakespeare text and the training text as ids."""
    train_text, val_text = shakespeare()
    vocab = CharVocab(train_text + val_text)
    return vocab, vocab.encode(train_text[:chars] if chars else train_text)


def train(args: argparse.Namespace, rank: int = 0, world_size: int = 1,
          device: torch.device = torch.device("cpu")) -> tuple[nn.Module, list[float]]:
    """Train the GPT; returns the plain (unwrapped) model and the global loss of each step."""
    if args.batch_size % world_size:
        raise ValueError(f"--batch-size {args.batch_size} is not divisible by {world_size} processes")
    vocab, train_ids = load_data(args.chars)
    torch.manual_seed(args.seed)        # the same initial weights everywhere
    model = GPT(len(vocab), args.seq_len, n_layer=args.n_layer,
                n_head=args.n_head, d_model=args.d_model).to(device)
    if world_size > 1:
        ids = [device.index] if device.type == "cuda" else None
        model = DDP(model, device_ids=ids)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    dtype = DTYPES[args.dtype]
    fp16 = dtype == torch.float16
    scaler = torch.amp.GradScaler(device.type) if fp16 else None
    # the same global batches on every rank
    gen = torch.Generator().manual_seed(args.seed)
    b = args.batch_size // world_size
    lo, hi = rank * b, (rank + 1) * b
    losses = []
    for step in range(1, args.steps + 1):
        # the global batch (B, T), then this rank's slice (B / world, T)
        x, y = random_windows(train_ids, args.batch_size, args.seq_len, gen)
        x, y = x[lo:hi].to(device), y[lo:hi].to(device)
        with torch.autocast(device.type, dtype=dtype,
                            enabled=dtype is not None):
            _, loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        if scaler is not None:
            scaler.scale(loss).backward()
            scaler.unscale_(optimizer)
        else:
            loss.backward()          # DDP: the ranks' gradients averaged here
        nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        if scaler is not None:
            scaler.step(optimizer)
            scaler.update()
        else:
            optimizer.step()                   # the same step on every rank
        # the loss of the global batch: the mean of the ranks' losses (for the log only)
        global_loss = loss.detach().float()
        if world_size > 1:
            dist.all_reduce(global_loss)       # sum over ranks
            global_loss /= world_size
        losses.append(global_loss.item())
        if rank == 0 and (step % args.log_every == 0 or step == args.steps):
            print(f"step {step:4d}  loss {losses[-1]:.4f}", flush=True)
    return (model.module if world_size > 1 else model), losses


def main(argv=None) -> int:
    args = parse_args(argv)
    rank, world_size, device = setup()
    if device.type == "cpu":
        torch.set_num_threads(args.threads)
    if rank == 0:
        backend = dist.get_backend() if world_size > 1 else "none"
        print(f"{world_size} process(es), backend {backend}, device {device.type}, "
              f"global batch {args.batch_size} = {world_size} x {args.batch_size // world_size} windows",
              flush=True)
    try:
        model, losses = train(args, rank, world_size, device)
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            torch.save({k: v.cpu() for k, v in model.state_dict().items()}, args.out / f"rank{rank}.pt")
            if rank == 0:
                (args.out / "log.json").write_text(json.dumps(
                    {"world_size": world_size, "losses": losses, "args": vars(args) | {"out": str(args.out)}}))
    finally:
        if world_size > 1:
            dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
