"""nncourse.ddp_train: data-parallel training with torchrun and DDP equals one process on the whole batch.

The script really runs under torchrun (``python -m torch.distributed.run``,
the module behind the ``torchrun`` command) with two processes and the gloo
backend, as chapter 9 runs it; the reference is the same script's training
function in this process, with world size 1. A tiny configuration keeps the
test near 10 s of CPU time, most of it the two processes importing torch.
"""

import json
import os
import subprocess
import sys

import pytest
import torch

from nncourse import ddp_train

ARGS = ["--steps", "6", "--batch-size", "8", "--seq-len", "32", "--n-layer", "1",
        "--d-model", "32", "--n-head", "2", "--chars", "100000", "--log-every", "3"]


def _torchrun(out, nproc=2, extra=()):
    env = dict(os.environ, OMP_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone",
           f"--nproc_per_node={nproc}", "-m", "nncourse.ddp_train", *ARGS, *extra, "--out", str(out)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def ddp_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("ddp")
    r = _torchrun(out)
    assert r.returncode == 0, r.stdout + r.stderr
    return out, r.stdout


def test_torchrun_two_gloo_processes_equal_single_process_training(ddp_run):
    out, stdout = ddp_run
    assert "2 process(es), backend gloo, device cpu, global batch 8 = 2 x 4 windows" in stdout
    assert stdout.count("step ") == 2                          # only rank 0 logs
    rank0 = torch.load(out / "rank0.pt")
    rank1 = torch.load(out / "rank1.pt")
    # the two processes end with bitwise identical weights
    assert rank0.keys() == rank1.keys()
    assert all(torch.equal(rank0[k], rank1[k]) for k in rank0)

    model, losses = _train(ARGS)               # one process, the whole batch of 8
    single = model.state_dict()
    initial = _train([*ARGS, "--steps", "0"])[0].state_dict()
    assert single.keys() == rank0.keys()
    diff = max((single[k] - rank0[k]).abs().max().item() for k in single)
    moved = max((single[k] - initial[k]).abs().max().item() for k in single)
    assert diff < 1e-4, diff                   # float rounding only (averaging in another order)
    assert moved > 1e-2                        # ... while training moved the weights

    log = json.loads((out / "log.json").read_text())
    assert log["world_size"] == 2 and len(log["losses"]) == 6
    assert log["losses"] == pytest.approx(losses, abs=1e-4)   # the global batch's loss


def _train(argv):
    """The script's training function in this process (world size 1), on one thread."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return ddp_train.train(ddp_train.parse_args(argv))
    finally:
        torch.set_num_threads(n)


def test_batch_must_split_evenly():
    with pytest.raises(ValueError, match="not divisible"):
        ddp_train.train(ddp_train.parse_args([*ARGS, "--batch-size", "7"]), rank=0, world_size=2)


def test_single_process_bf16_autocast_trains():
    _, losses = _train([*ARGS, "--dtype", "bf16", "--steps", "8"])
    assert len(losses) == 8 and losses[-1] < losses[0]
