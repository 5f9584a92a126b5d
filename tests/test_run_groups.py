"""Assignments that mix NumPy and torch answers: two sandboxes, probes, per-call limits."""

import json
import textwrap

import numpy as np
import pytest

from nncourse.grading import checks, grader, harness, sandbox, wire
from nncourse.grading.checks import Assignment, Case, close

PROBES = textwrap.dedent('''
    def probe_linear_out(cls, args, kwargs, ns):
        import torch
        torch.manual_seed(int(args[0]))
        m = cls(3, 2)
        x = torch.from_numpy(np.asarray(args[1])).float()
        value, warns = captured(lambda: m(x).detach().double().numpy())
        return {"value": wire.encode(value), "args_after": [None, None], "warnings": warns}

    PROBES = {"linear_out": probe_linear_out}
''')

MODEL = textwrap.dedent('''
    import torch
    class Model(torch.nn.Module):
        def __init__(self, a, b):
            super().__init__()
            self.lin = torch.nn.Linear(a, b)
        def forward(self, x):
            return torch.relu(self.lin(x))
''')


def test_run_groups_split_numpy_and_torch_answers():
    spec = Assignment("demo", forbid=("torch",), torch_tasks=("Model",))
    numpy_group, torch_group = spec.run_groups(("f", "Model", "g"))
    assert numpy_group.tasks == ("f", "g") and numpy_group.forbid == ("torch",)
    assert torch_group.tasks == ("Model",) and torch_group.forbid == ()
    assert "import torch" in torch_group.prelude
    assert torch_group.limits["memory_bytes"] >= 3 * 2**30
    assert spec.forbid_for("Model") == () and spec.forbid_for("f") == ("torch",)
    only_numpy = Assignment("demo2", forbid=("torch",)).run_groups(("f",))
    assert len(only_numpy) == 1 and only_numpy[0].forbid == ("torch",)


def test_load_probes_gives_the_module_wire_np_and_captured():
    probes = harness.load_probes(PROBES)
    import torch

    ns = {}
    exec(MODEL, ns)
    x = np.arange(6.0).reshape(2, 3)
    out = wire.decode(probes["linear_out"](ns["Model"], [0, x], {}, {})["value"])
    torch.manual_seed(0)
    ref = ns["Model"](3, 2)(torch.from_numpy(x).float()).detach().double().numpy()
    assert np.array_equal(out, ref)
    with pytest.raises(ValueError, match="PROBES"):
        harness.load_probes("x = 1")


@pytest.mark.skipif(sandbox.bwrap_problem() is not None, reason="needs bubblewrap")
def test_torch_answer_runs_beside_a_numpy_sandbox_that_hides_torch():
    spec = Assignment("demo", forbid=("torch",), torch_tasks=("Model",))
    x = np.arange(6.0).reshape(2, 3)
    (torch_group,) = spec.run_groups(("Model",))
    req = {"prelude": torch_group.prelude, "probes": PROBES, "forbid": [],
           "cells": [{"name": "Model", "source": MODEL}],
           "calls": [{"probe": "linear_out", "target": "Model", "args": [0, wire.encode(x)], "kwargs": {}}]}
    r = sandbox.run(req, sandbox.Limits(**torch_group.limits))
    assert r.cells["Model"].ok and r.calls[0].ok, (r.cells, r.calls, r.output_tail)
    ns = {}
    exec(MODEL, ns)
    ref = wire.decode(harness.load_probes(PROBES)["linear_out"](ns["Model"], [0, x], {}, {})["value"])
    assert np.array_equal(wire.decode(r.calls[0].value), ref)
    # the same cell where torch is forbidden: it cannot import it
    req_np = dict(req, prelude="import numpy as np", probes="", forbid=["torch"])
    r = sandbox.run(req_np, sandbox.Limits(), hide=("torch",))
    assert not r.cells["Model"].ok and "not allowed" in r.cells["Model"].error


@pytest.mark.skipif(sandbox.bwrap_problem() is not None, reason="needs bubblewrap")
def test_a_call_gets_its_own_time_limit():
    req = {"prelude": "import time", "cells": [{"name": "f", "source": "def f(s):\n    time.sleep(s)\n    return s"}],
           "calls": [{"target": "f", "args": [2.5], "kwargs": {}, "seconds": 6},
                     {"target": "f", "args": [2.5], "kwargs": {}}]}
    r = sandbox.run(req, sandbox.Limits(call_seconds=1.0))
    assert r.calls[0].ok
    assert not r.calls[1].ok and "time limit of 1 s" in r.calls[1].error
    assert sandbox._call_seconds({"seconds": True}, sandbox.Limits(call_seconds=3)) == 3
    assert sandbox._call_seconds({"seconds": -1}, sandbox.Limits(call_seconds=3)) == 3


def test_case_seconds_travel_with_the_call():
    c = Case("f", "label", (1.0,), 1.0, close(), seconds=42)
    assert grader._encode_call(c)["seconds"] == 42.0
    assert "seconds" not in grader._encode_call(Case("f", "l", (1.0,), 1.0, close()))


def test_load_rejects_unknown_torch_tasks(tmp_path, monkeypatch):
    d = tmp_path / "bad_a"
    d.mkdir()
    (d / "checks.py").write_text(
        "from nncourse.grading.checks import Assignment\n"
        "ASSIGNMENT = Assignment('bad_a', torch_tasks=('nope',))\n")
    monkeypatch.setattr(checks, "CHECKS_DIR", tmp_path)
    with pytest.raises(ValueError, match="unknown tasks"):
        checks.load("bad_a")
