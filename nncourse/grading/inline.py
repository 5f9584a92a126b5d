"""Checks inside the notebook: what a student's visible test cells call.

``check = Checker("ch01_neuron")`` in the notebook's set-up cell, then
``check(sigmoid)`` in a test cell runs that function's visible cases right
there, prints one line per case, and raises ``AssertionError`` if any
fails. This is for working on the exercise; grades never come from it:
the grader runs the same cases, plus hidden ones, outside the student's
process (see :mod:`nncourse.grading.grader`).
"""

from __future__ import annotations

import copy
import inspect
import secrets
import warnings

import numpy as np

from .checks import Fn, Rng, load


def _plain(x):
    return x.python if isinstance(x, (Fn, Rng)) else copy.deepcopy(x)


def _judge_probe(case, fn, args, kwargs, probes):
    """Run a probe other than a plain call (``case.probe``) here, with the sandbox's
    own implementation (``harness.PROBES`` and the assignment's probe module), and
    judge what it reports."""
    from . import wire

    r = probes[case.probe](fn, list(args), kwargs, {})
    return case.judge(wire.decode(r["value"]), [wire.decode(a) for a in r["args_after"]], r["warnings"])


class Checker:
    def __init__(self, assignment: str):
        self.spec = load(assignment)
        self._probes = None

    @property
    def probes(self) -> dict:
        if self._probes is None:
            from . import harness  # only cases with a special probe need the harness
            self._probes = dict(harness.PROBES)
            if self.spec.probe_source:
                self._probes.update(harness.load_probes(self.spec.probe_source, self.spec.probes))
        return self._probes

    def __call__(self, fn, hidden: bool = False) -> None:
        name = getattr(fn, "__name__", None)
        if name not in self.spec.tasks:
            raise ValueError(f"{name!r} is not a graded function of {self.spec.name}")
        from .grader import OWN_PACKAGE, OWN_PACKAGE_WHY
        from .notebook import uses_forbidden

        try:
            own = uses_forbidden(inspect.getsource(fn), OWN_PACKAGE)
        except (OSError, TypeError):  # no source to read (a built-in, a lambda typed elsewhere)
            own = None
        if own:
            print(f"✘ {name} {own}: {OWN_PACKAGE_WHY}")
            raise AssertionError(f"{name}: not credited when graded ({own})")
        seed = secrets.randbits(63) if hidden else None
        cases = [c for c in self.spec.cases(name, seed) if c.hidden == hidden]
        failed = 0
        for c in cases:
            args = tuple(_plain(a) for a in c.args)
            kwargs = {k: _plain(v) for k, v in c.kwargs.items()}
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                with np.errstate(all="warn", under="ignore"):
                    try:
                        if c.probe == "call":
                            got = fn(*args, **kwargs)
                            problem = c.judge(got, list(args),
                                              [f"{w.category.__name__}: {w.message}" for w in caught])
                        else:
                            problem = _judge_probe(c, fn, args, kwargs, self.probes)
                    except Exception as e:  # noqa: BLE001 - shown to the student
                        problem = f"raised {type(e).__name__}: {e}"
            failed += problem is not None
            print(f"{'✔' if problem is None else '✘'} {c.label}" + ("" if problem is None else f"\n    -> {problem}"))
        if failed:
            raise AssertionError(f"{name}: {failed} of {len(cases)} checks failed")
        print(f"{name}: all {len(cases)} {'hidden ' if hidden else ''}checks passed")
