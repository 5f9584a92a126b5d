"""The sandbox on its own: isolation, limits, and going on after a limit is hit.

(The full set of hostile submissions, through the grade command, is in
tests/adversarial/.)
"""

import numpy as np

from nncourse.grading import sandbox, wire

FAST = sandbox.Limits(cell_seconds=2, call_seconds=2, notebook_seconds=30)


def _run(cells, calls, **kw):
    req = {"prelude": "import numpy as np", "cells": [{"name": n, "source": s} for n, s in cells],
           "calls": [{"target": t, "args": [wire.encode(a) for a in args]} for t, args in calls], **kw}
    return sandbox.run(req, FAST, hide=tuple(kw.get("forbid", ())))


def test_values_come_back_and_cells_fail_independently():
    r = _run([("f", "def f(x):\n    return 2 * x"), ("bad", "1 / 0")], [("f", [np.arange(3.0)])])
    assert r.cells["f"].ok and not r.cells["bad"].ok and "ZeroDivisionError" in r.cells["bad"].error
    assert np.array_equal(wire.decode(r.calls[0].value), [0.0, 2.0, 4.0])


def test_no_network_no_repository_no_torch():
    src = ("import os, socket\n"
           "def probe(x):\n"
           "    out = []\n"
           "    try:\n"
           "        socket.create_connection(('127.0.0.1', 22), timeout=1)\n"
           "        out.append(1.0)\n"
           "    except OSError:\n"
           "        out.append(0.0)\n"
           f"    out.append(float(os.path.exists({str(sandbox.HERE.parents[1] / 'solutions')!r})))\n"
           "    try:\n"
           "        import torch\n"
           "        out.append(float(hasattr(torch, 'tensor')))\n"
           "    except ImportError:\n"
           "        out.append(0.0)\n"
           "    return np.array(out)\n")
    r = _run([("probe", src)], [("probe", [np.zeros(1)])], forbid=["torch"])
    assert r.calls[0].ok, r.calls[0].error
    assert wire.decode(r.calls[0].value).tolist() == [0.0, 0.0, 0.0]


def test_a_function_that_never_returns_costs_one_call_limit():
    cells = [("f", "import time\ndef f(x):\n    while True:\n        time.sleep(0.1)"), ("g", "def g(x):\n    return x")]
    calls = [("f", [np.zeros(2)])] * 4 + [("g", [np.ones(2)])] * 2
    r = _run(cells, calls)
    assert "time limit" in r.calls[0].error
    assert all("not run: an earlier call of f" in c.error for c in r.calls[1:4])
    assert all(c.ok for c in r.calls[4:])
    assert r.wall_seconds < 15


def test_an_endless_cell_is_skipped_and_the_rest_still_runs():
    cells = [("loop", "while True:\n    pass"), ("g", "def g(x):\n    return x + 1")]
    r = _run(cells, [("g", [np.zeros(2)])])
    assert not r.cells["loop"].ok and "time limit" in r.cells["loop"].error
    assert r.calls[0].ok and np.array_equal(wire.decode(r.calls[0].value), [1.0, 1.0])
