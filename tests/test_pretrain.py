"""benchmarks/pretrain_fashion7.py and the committed weights it made: the file is the
recorded one, loads into the tagger and classifies the seven classes; the script is
reproducible (two short runs give identical bytes; the full run's command and seed are
those recorded). The full run (84 s of CPU) is ``--check``'s job."""

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from nncourse.datasets import fashion_mnist
from nncourse.tagger import FASHION7_CLASSES, PRETRAINED, build_tagger_cnn, load_pretrained

pytestmark = pytest.mark.usefixtures("one_thread")
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "pretrain_fashion7.py"
SUMS = PRETRAINED.parent / "SHA256SUMS"
META = PRETRAINED.with_suffix(".json")


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("pretrain_fashion7", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_committed_weights_match_the_record(script):
    assert PRETRAINED.stat().st_size < 1_000_000
    recorded = script.recorded_sha(SUMS, PRETRAINED.name)
    assert recorded == sha(PRETRAINED) == json.loads(META.read_text())["sha256"]


def test_record_names_the_default_command_and_seed(script):
    meta = json.loads(META.read_text())
    assert meta["command"] == script.default_command()
    assert {k: meta[k] for k in script.DEFAULTS} == script.DEFAULTS
    assert meta["classes"] == list(FASHION7_CLASSES)
    assert meta["val_accuracy"] > 0.9


def test_weights_load_and_classify_the_seven_classes():
    model = load_pretrained()
    assert model.head.out_features == 7
    X, y = fashion_mnist("test")
    keep = np.isin(y, FASHION7_CLASSES)
    X, y = X[keep][:700], np.searchsorted(FASHION7_CLASSES, y[keep][:700])
    with torch.no_grad():
        pred = model(torch.tensor(X, dtype=torch.float32).div(255).unsqueeze(1)).argmax(1).numpy()
    assert (pred == y).mean() > 0.9


def test_loading_is_strict():
    state = torch.load(PRETRAINED, weights_only=True)
    state["extra"] = torch.zeros(1)
    with pytest.raises(RuntimeError, match="extra"):
        build_tagger_cnn(7).load_state_dict(state)


def test_two_short_runs_give_identical_bytes(tmp_path):
    """The command reproduces its output: a short run writes weights and their record, a
    second one with ``--check`` trains again and finds the same SHA-256."""
    out = tmp_path / "w.pt"
    args = [sys.executable, str(SCRIPT), "--steps", "4", "--val", "200", "--out", str(out)]
    first = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert f"SHA-256 {sha(out)}  w.pt" in first.stdout
    assert (tmp_path / "SHA256SUMS").read_text() == f"{sha(out)}  w.pt\n"
    assert json.loads((tmp_path / "w.json").read_text())["steps"] == 4
    again = subprocess.run(args + ["--check"], capture_output=True, text=True, cwd=tmp_path)
    assert again.returncode == 0 and "REPRODUCED" in again.stdout, again.stdout + again.stderr


def test_recorded_sha_reads_sha256sum_lines(script, tmp_path):
    sums = tmp_path / "SHA256SUMS"
    assert script.recorded_sha(sums, "w.pt") is None
    sums.write_text(f"{'a' * 64}  v.pt\n{'b' * 64} *w.pt\n")
    assert script.recorded_sha(sums, "w.pt") == "b" * 64 and script.recorded_sha(sums, "x.pt") is None
