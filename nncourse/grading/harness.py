"""Runs inside the sandbox: executes a student's answer cells, then calls them.

Started by :mod:`nncourse.grading.sandbox` as ``python -I harness.py FD``.
It reads one JSON request from stdin, then reports progress and results as
JSON lines on file descriptor ``FD`` (a pipe to the grader). The student's
own stdout and stderr go to a size-limited file, so printing cannot forge
a message. Nothing here is trusted by the grader: a submission can patch
this module at run time, but all it can change is what it "returns", which
is exactly what is being graded, and every message is re-validated outside.

Request: ``{"prelude": str, "probes": str, "forbid": [names], "cells": [{"name", "source"}],
"skip_cells": [names], "calls": [{"probe", "target", "args", "kwargs"}], "start_call": int}``.
``probes`` is the source of an assignment's probe module (see :func:`load_probes`).
Events: ``cell_start/cell_end`` and ``call_start/call_end`` with an index,
then ``done``.

Standard library and numpy only: this file is copied into the sandbox.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import re
import sys
import traceback
import types
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import wire  # noqa: E402

sys.path.pop(0)

_MAGIC = re.compile(r"^\s*[%!]")


class Channel:
    def __init__(self, fd: int):
        # private duplicate, so that a submission closing FD does not blind us
        self._f = io.FileIO(os.dup(fd), "wb")
        os.close(fd)

    def send(self, **msg) -> None:
        data = (json.dumps(msg, allow_nan=False) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[self._f.write(view):]


def strip_magics(source: str) -> tuple[str, int]:
    """Replace IPython magics and shell escapes by ``pass``; return (code, count)."""
    out, n = [], 0
    for line in source.splitlines():
        if _MAGIC.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + "pass  # removed by the grader: " + line.strip()[:40])
            n += 1
        else:
            out.append(line)
    return "\n".join(out), n


def _error(e: BaseException) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    where = next((f"{fr.filename}, line {fr.lineno}" for fr in reversed(tb)
                  if fr.filename.startswith("<cell")), "")
    msg = (f"{type(e).__name__}: {e}" if str(e) else type(e).__name__)[:300]
    return f"{msg} ({where})" if where else msg


# Callables the grader may pass as arguments, by name (no code crosses the boundary).
def _stable_sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


CALLABLES = {
    "identity": lambda z: z,
    "tanh": np.tanh,
    "sigmoid": _stable_sigmoid,
    "relu": lambda z: np.maximum(z, 0.0),
    "step": lambda z: (np.asarray(z) > 0).astype(np.float64),
}


# Scalar functions of an array of any shape, for numerical gradients (ch03_loss_gd).
def _quadratic_form(x):
    """1/2 v^T A v, v = x flattened, with the fixed A[i, j] = cos(i + 2 j) + 2 [i == j]."""
    v = np.ravel(x)
    k = np.arange(v.size, dtype=np.float64)
    A = np.cos(k[:, None] + 2.0 * k[None, :]) + 2.0 * np.eye(v.size)
    return float(0.5 * (v @ A @ v))


def _logsumexp_all(x):
    v = np.ravel(x)
    m = np.max(v)
    return float(m + np.log(np.sum(np.exp(v - m))))


CALLABLES.update({
    "sum_sin": lambda x: float(np.sum(np.sin(x))),
    "sum_cubes": lambda x: float(np.sum(np.asarray(x) ** 3)),
    "quadratic_form": _quadratic_form,
    "logsumexp_all": _logsumexp_all,
})


def decode_arg(d, ns):
    if isinstance(d, dict) and set(d) == {"__rng__"} and type(d["__rng__"]) is int:
        return np.random.default_rng(d["__rng__"])
    if isinstance(d, dict) and set(d) == {"__callable__"}:
        name = d["__callable__"]
        if name.startswith("student:"):
            return ns.get(name[len("student:"):])
        return CALLABLES[name]
    return wire.decode(d)


def probe_call(fn, args, kwargs, ns):
    """Call ``fn(*args, **kwargs)``; report its value, the warnings it raised,
    and the array arguments afterwards (to detect in-place modification)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = np.seterr(all="warn", under="ignore")  # NumPy's defaults, enforced
        try:
            value = fn(*args, **kwargs)
        finally:
            np.seterr(**old)
    after = [a if isinstance(a, (np.ndarray, list, tuple)) else None for a in args]
    return {"value": wire.encode(value), "args_after": [wire.encode(a) for a in after],
            "warnings": [f"{w.category.__name__}: {str(w.message)[:120]}" for w in caught[:5]]}


def probe_call_twice(fn, args, kwargs, ns):
    """Call ``fn`` twice: on the arguments, then on deep copies of them taken
    before the first call (a copied ``Generator`` is in the same state). A
    function that depends only on its arguments returns the same value twice;
    one that draws from NumPy's global random state does not. Reports
    ``(first, second)``, the warnings of both calls and the array arguments
    after the first call."""
    import copy

    args2, kwargs2 = copy.deepcopy(args), copy.deepcopy(kwargs)
    caught = []
    values = []
    for a, k in ((args, kwargs), (args2, kwargs2)):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            old = np.seterr(all="warn", under="ignore")
            try:
                values.append(fn(*a, **k))
            finally:
                np.seterr(**old)
        caught += w
    after = [a if isinstance(a, (np.ndarray, list, tuple)) else None for a in args]
    return {"value": wire.encode(tuple(values)), "args_after": [wire.encode(a) for a in after],
            "warnings": [f"{w.category.__name__}: {str(w.message)[:120]}" for w in caught[:5]]}


PROBES = {"call": probe_call, "call_twice": probe_call_twice}


def captured(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` under NumPy's default error handling, recording warnings:
    returns ``(value, warnings)`` with the warnings as short strings (for probes)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = np.seterr(all="warn", under="ignore")
        try:
            value = fn(*args, **kwargs)
        finally:
            np.seterr(**old)
    return value, [f"{w.category.__name__}: {str(w.message)[:120]}" for w in caught[:5]]


def load_probe_module(source: str, filename: str = "<probes>") -> types.ModuleType:
    """Execute an assignment's probe module (see :func:`load_probes`) and return it."""
    mod = types.ModuleType("nncourse_probes")
    mod.__dict__.update(wire=wire, np=np, captured=captured, __file__=filename)
    exec(compile(source, filename, "exec"), mod.__dict__)
    return mod


def load_probes(source: str, filename: str = "<probes>") -> dict:
    """Execute an assignment's probe module and return its ``PROBES`` dict.

    A probe module (``autograder/<assignment>/probes.py``) holds functions
    ``probe(fn, args, kwargs, ns) -> {"value", "args_after", "warnings"}`` that
    call a student's answer in a way a plain call cannot: build a torch model
    from a seeded description, train it one epoch, return its weights as
    arrays. Its names ``wire``, ``np`` and ``captured`` are given; it imports
    what else it needs (torch). The same module runs in the sandbox, in the
    notebook (visible checks) and in the grader (expected values from the
    reference), so the student's answer and the oracle are driven alike.
    """
    mod = load_probe_module(source, filename)
    probes = mod.__dict__.get("PROBES")
    if not isinstance(probes, dict):
        raise ValueError(f"{filename} defines no PROBES dict")
    return probes


class Forbidden:
    """Import hook: modules an exercise must not use fail to import, with a reason."""

    def __init__(self, names):
        self.names = set(names)

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.names:
            raise ModuleNotFoundError(
                f"{fullname} is not allowed in this exercise: solve it with NumPy only", name=fullname)
        return None


def main() -> None:
    chan = Channel(int(sys.argv[1]))
    req = json.loads(sys.stdin.read())
    sys.stdin.close()
    if req.get("forbid"):
        sys.meta_path.insert(0, Forbidden(req["forbid"]))
    if req.get("probes"):
        PROBES.update(load_probes(req["probes"], "<probes>"))
    ns = {"__name__": "__main__", "__builtins__": builtins}
    exec(compile(req.get("prelude", ""), "<prelude>", "exec"), ns)
    skip = set(req.get("skip_cells", []))
    for i, cell in enumerate(req["cells"]):
        if cell["name"] in skip:
            continue
        chan.send(ev="cell_start", i=i)
        code, n_magics = strip_magics(cell["source"])
        try:
            exec(compile(code, f"<cell {cell['name']}>", "exec"), ns)
        except BaseException as e:  # noqa: BLE001 - the student's error is data
            chan.send(ev="cell_end", i=i, ok=False, error=_error(e), magics=n_magics)
        else:
            chan.send(ev="cell_end", i=i, ok=True, magics=n_magics)
    for i, call in enumerate(req["calls"]):
        if i < req.get("start_call", 0):
            continue
        chan.send(ev="call_start", i=i)
        target = call["target"]
        fn = ns.get(target)
        if fn is None:
            chan.send(ev="call_end", i=i, ok=False, error=f"NameError: {target!r} is not defined")
            continue
        try:
            args = [decode_arg(a, ns) for a in call.get("args", [])]
            kwargs = {k: decode_arg(v, ns) for k, v in call.get("kwargs", {}).items()}
            result = PROBES[call.get("probe", "call")](fn, args, kwargs, ns)
        except BaseException as e:  # noqa: BLE001
            chan.send(ev="call_end", i=i, ok=False, error=_error(e))
        else:
            chan.send(ev="call_end", i=i, ok=True, **result)
    chan.send(ev="done", modules=sorted(m for m in sys.modules if m.split(".")[0] in set(req.get("forbid", []))))
    sys.stdout.flush()
    os._exit(0)  # skip atexit handlers a submission may have registered


if __name__ == "__main__":
    main()
