"""Pre-train chapter 10's tagger CNN on the seven Fashion-MNIST classes it will not tag.

Chapter 10 adapts a pre-trained network to T-shirt/top (0), Coat (4) and Shirt (6).
This script makes that network, reproducibly: ``nncourse.tagger.build_tagger_cnn(7)``
trained on the other seven classes (Trouser, Pullover, Dress, Sandal, Sneaker, Bag,
Ankle boot, relabelled 0..6) of the Fashion-MNIST training set, less a validation set
of ``--val`` images drawn with the seed. Pixels in [0, 1], no augmentation; AdamW (lr
3e-3, weight decay 1e-4), batch 128, ``--steps`` steps with a linear warm-up over the
first 5% and a cosine decay to 0; one thread and deterministic algorithms, so that two
runs on the same machine and torch version give the same bytes (the default 900 steps:
84 s of CPU here, 160-265 s of wall-clock time on a shared, busy 2-core machine;
validation accuracy 0.9675).

    .venv/bin/python benchmarks/pretrain_fashion7.py            # writes the weights
    .venv/bin/python benchmarks/pretrain_fashion7.py --check    # re-runs, compares, writes nothing

It writes the state dict to ``nncourse/weights/fashion7_cnn.pt`` (``torch.save`` into
memory, so that the archive's inner folder name does not depend on the file name: the
bytes depend only on the weights), records its SHA-256 in
``nncourse/weights/SHA256SUMS`` (``sha256sum -c`` format) and the command, seed, steps
and validation accuracy in ``nncourse/weights/fashion7_cnn.json``, and prints the
validation accuracy and the SHA-256. ``--check`` trains again and exits with 1 when
the SHA-256 differs from the recorded one (a different CPU or torch version can change
the last bits of the float arithmetic; the committed weights stay valid).
``--out PATH`` writes elsewhere (the record and metadata go beside PATH): the tests use
it with a few steps to check that two runs give identical bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import sys
from pathlib import Path
from time import perf_counter, process_time

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nncourse.datasets import fashion_mnist  # noqa: E402
from nncourse.tagger import FASHION7_CLASSES, PRETRAINED, build_tagger_cnn  # noqa: E402

DEFAULTS = {"steps": 900, "seed": 0, "val": 6000}
BATCH, LR, WD = 128, 3e-3, 1e-4


def default_command() -> str:
    """The command that made the committed weights (recorded in their metadata)."""
    return ("python benchmarks/pretrain_fashion7.py "
            + " ".join(f"--{k} {v}" for k, v in DEFAULTS.items()))


def fashion7(seed: int, n_val: int):
    """Training and validation tensors of the seven classes: ``(N, 1, 28, 28)`` floats in
    [0, 1] and labels 0..6 (the position of the original class in ``FASHION7_CLASSES``)."""
    X, y = fashion_mnist("train")
    keep = np.isin(y, FASHION7_CLASSES)
    X, y = X[keep], np.searchsorted(FASHION7_CLASSES, y[keep])   # (N, 28, 28), labels 0..6
    perm = np.random.default_rng(seed).permutation(len(y))
    val, train = perm[:n_val], perm[n_val:]
    as_x = lambda idx: torch.tensor(X[idx], dtype=torch.float32).div(255).unsqueeze(1)  # (N, 1, 28, 28)
    as_y = lambda idx: torch.tensor(y[idx], dtype=torch.long)
    return as_x(train), as_y(train), as_x(val), as_y(val)


@torch.no_grad()
def accuracy(model, X, y, batch: int = 1000) -> float:
    model.eval()
    hits = sum((model(X[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item() for i in range(0, len(y), batch))
    return hits / len(y)


def train(steps: int, seed: int, n_val: int):
    """The trained model (eval mode) and its validation accuracy."""
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    X, y, X_val, y_val = fashion7(seed, n_val)
    torch.manual_seed(seed)                                  # the initial weights
    model = build_tagger_cnn(len(FASHION7_CLASSES))
    generator = torch.Generator().manual_seed(seed)          # the batches
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WD)
    warm = max(1, steps // 20)

    def factor(s: int) -> float:                             # linear warm-up, then cosine to 0
        if s < warm:
            return (s + 1) / warm
        return 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, steps - warm)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    model.train()
    order, pos = torch.randperm(len(y), generator=generator), 0
    for _ in range(steps):
        if pos + BATCH > len(y):
            order, pos = torch.randperm(len(y), generator=generator), 0
        idx = order[pos:pos + BATCH]
        pos += BATCH
        loss = F.cross_entropy(model(X[idx]), y[idx])        # (B, 1, 28, 28) -> (B, 7)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
    return model.eval(), accuracy(model, X_val, y_val)


def canonical_bytes(model) -> bytes:
    """``torch.save`` of the state dict into memory: the bytes depend on the weights only."""
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getvalue()


def recorded_sha(sums: Path, name: str) -> str | None:
    if not sums.is_file():
        return None
    for line in sums.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("*") == name:
            return parts[0]
    return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=DEFAULTS["steps"], help="optimizer steps (default %(default)s)")
    p.add_argument("--seed", type=int, default=DEFAULTS["seed"], help="seed (default %(default)s)")
    p.add_argument("--val", type=int, default=DEFAULTS["val"], help="validation images (default %(default)s)")
    p.add_argument("--out", type=Path, default=PRETRAINED, help="weights file (default: %(default)s)")
    p.add_argument("--check", action="store_true",
                   help="train again and compare with the recorded SHA-256; write nothing")
    a = p.parse_args(argv)
    if a.steps < 1 or a.val < 1:
        p.error(f"--steps and --val must be >= 1, got {a.steps} and {a.val}")
    out = a.out.resolve()
    sums, meta_path = out.parent / "SHA256SUMS", out.with_suffix(".json")
    t0, c0 = perf_counter(), process_time()
    model, val_acc = train(a.steps, a.seed, a.val)
    data = canonical_bytes(model)
    sha = hashlib.sha256(data).hexdigest()
    print(f"trained {a.steps} steps in {perf_counter() - t0:.1f} s ({process_time() - c0:.1f} s of CPU)")
    print(f"validation accuracy (7 classes, {a.val} images): {val_acc:.4f}")
    print(f"SHA-256 {sha}  {out.name}")
    if a.check:
        want = recorded_sha(sums, out.name)
        on_disk = hashlib.sha256(out.read_bytes()).hexdigest() if out.is_file() else None
        ok = want == sha and on_disk == sha
        print(f"recorded {want}, file {on_disk}: {'REPRODUCED' if ok else 'DIFFERENT'}")
        return 0 if ok else 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    lines = [ln for ln in (sums.read_text().splitlines() if sums.is_file() else [])
             if not ln.endswith(f"  {out.name}")]
    sums.write_text("\n".join(sorted(lines + [f"{sha}  {out.name}"])) + "\n")
    command = ("python benchmarks/pretrain_fashion7.py "
               + " ".join(f"--{k} {getattr(a, k)}" for k in DEFAULTS))
    meta = {"file": out.name, "sha256": sha, "command": command, "steps": a.steps, "seed": a.seed,
            "val": a.val, "batch": BATCH, "lr": LR, "weight_decay": WD,
            "val_accuracy": round(val_acc, 4), "torch": torch.__version__.split("+")[0],
            "classes": list(FASHION7_CLASSES)}
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    print(f"wrote {out}, {sums.name} and {meta_path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
