"""How a graded function is checked: cases, comparisons, diagnoses.

An assignment's checks live in ``autograder/<assignment>/checks.py`` and
build an :class:`Assignment`: for every graded function (the ``grade_id`` of
its answer cell) a generator ``cases(rng, hidden) -> list[Case]``. Each
:class:`Case` holds the inputs, the expected value computed *here, in the
grader* by an oracle (torch or an independent implementation), a
comparison, and optionally the values that known bugs would produce, so
that feedback can name the likely bug. Visible cases use a fixed public
seed; hidden ones use a seed derived from the grader's secret key.

Comparisons return ``None`` when the value is acceptable, else a message
that never contains hidden inputs.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .wire import Unsupported

ROOT = Path(__file__).resolve().parents[2]
CHECKS_DIR = ROOT / "autograder"
VISIBLE_SEED = 20261122

Compare = Callable[[Any, Any], "str | None"]


# ------------------------------------------------------------------ arguments
@dataclass(frozen=True)
class Fn:
    """A callable argument, passed to the sandbox by name (see harness.CALLABLES)."""

    name: str
    python: Callable  # the same function, for oracles and in-notebook checks

    def __repr__(self) -> str:
        return f"<function {self.name}>"


@dataclass(frozen=True)
class Rng:
    """A ``numpy.random.Generator`` argument: the sandbox builds ``default_rng(seed)``.

    ``python`` gives a fresh generator with the same seed (for oracles and
    in-notebook checks), so the student's function and the oracle draw the
    same numbers.
    """

    seed: int

    @property
    def python(self) -> np.random.Generator:
        return np.random.default_rng(self.seed)

    def __repr__(self) -> str:
        return "<numpy Generator>"


# ------------------------------------------------------------------ cases
@dataclass
class Case:
    task: str
    label: str
    args: tuple
    expected: Any
    compare: "Compare"
    kwargs: dict = field(default_factory=dict)
    hidden: bool = False
    weight: float = 1.0
    bugs: dict = field(default_factory=dict)      # likely bug -> value it would give
    unchanged: bool = True                        # array arguments must not be modified
    no_warnings: bool = False                     # numpy must not warn (stability)
    probe: str = "call"
    seconds: float | None = None                  # time limit of this call (default: Limits.call_seconds)

    def judge(self, got: Any, args_after: list | None = None, warnings: list | None = None) -> str | None:
        """Why ``got`` fails this case (``None`` if it passes)."""
        problem = self.compare(got, self.expected)
        if problem is None and self.no_warnings and warnings:
            problem = f"it raised a warning: {warnings[0]} (not numerically stable)"
        if problem is not None:
            for bug, value in self.bugs.items():
                try:
                    if self.compare(got, value) is None:
                        return f"{problem}; this is what happens when {bug}"
                except Exception:  # noqa: BLE001 - a diagnosis must never break grading
                    continue
            return problem
        if self.unchanged and args_after:
            for k, (before, after) in enumerate(zip(self.args, args_after)):
                if _holds_arrays(before) and after is not None and not _same(before, after):
                    return f"modified its argument #{k + 1} in place (inputs must stay unchanged)"
        return None


def _holds_arrays(x) -> bool:
    if isinstance(x, np.ndarray):
        return True
    return isinstance(x, (list, tuple)) and any(_holds_arrays(v) for v in x)


def _same(before, after) -> bool:
    """Is ``after`` (as returned by the sandbox) the unchanged ``before``?"""
    if isinstance(before, np.ndarray):
        return (isinstance(after, np.ndarray) and after.shape == before.shape
                and np.array_equal(after, before, equal_nan=True))
    if isinstance(before, (list, tuple)):
        return (isinstance(after, (list, tuple)) and len(after) == len(before)
                and all(_same(b, a) for b, a in zip(before, after)))
    return True  # numbers and other immutable arguments


# ------------------------------------------------------------------ known bugs
def known_bugs(expected: Any, same: Callable[[Any, Any], bool], /, **candidates: Any) -> dict:
    """The values of ``candidates`` (bug description -> the value that bug gives)
    worth naming in feedback (:attr:`Case.bugs`): those that exist (not None)
    and that ``same(value, expected)`` tells apart from the right answer. A
    bug whose value equals the right answer on this input would name a bug the
    student may not have; a value the comparison cannot read names nothing."""
    out = {}
    with np.errstate(all="ignore"):  # a bug's value may hold inf or nan
        for bug, value in candidates.items():
            if value is None:
                continue
            try:
                if not same(value, expected):
                    out[bug] = value
            except Exception:  # noqa: BLE001 - a candidate is a diagnosis, never a reason to fail
                continue
    return out


def passes(compare: Compare) -> Callable[[Any, Any], bool]:
    """A comparison (message or None) as ``same(value, expected)`` for :func:`known_bugs`."""
    return lambda value, expected: compare(value, expected) is None


def all_close(rtol: float = 1e-9, atol: float = 1e-12) -> Callable[[Any, Any], bool]:
    """``same(value, expected)`` for :func:`known_bugs`: equal shapes and values
    (NaN equal to NaN), element by element for tuples."""
    def same(value, expected):
        pairs = zip(value, expected) if isinstance(expected, tuple) else [(value, expected)]
        return all(np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
                   for a, b in pairs)
    return same


# ------------------------------------------------------------------ comparisons
def describe(x: Any) -> str:
    """What ``x`` is, for a message: its type, and an array's shape and dtype."""
    if isinstance(x, Unsupported):
        return f"an object of type {x.type_name}"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"a {type(x).__name__}"


def _as_array(got: Any) -> np.ndarray | None:
    if isinstance(got, np.ndarray):
        return got
    if isinstance(got, (list, tuple)) and got and all(isinstance(v, (int, float, bool)) for v in got):
        return np.asarray(got)  # a plain list of numbers: accepted, dtype checked next
    return None


def _shaped_like(got: Any, expected: np.ndarray) -> tuple[np.ndarray | None, str | None]:
    """``got`` as an array of the expected shape, or why it is not one."""
    arr = _as_array(got)
    if arr is None:
        return None, f"expected a NumPy array of shape {expected.shape}, got {describe(got)}"
    if arr.shape != expected.shape:
        return None, f"wrong shape: got {arr.shape}, expected {expected.shape}"
    return arr, None


def close(rtol: float = 1e-6, atol: float = 1e-9, dtype: str | None = "float64") -> Compare:
    """An array equal to the expected one up to ``atol + rtol * |expected|``, elementwise."""

    def compare(got: Any, expected: np.ndarray) -> str | None:
        arr, problem = _shaped_like(got, expected)
        if problem:
            return problem
        if dtype is not None and arr.dtype != np.dtype(dtype):
            return f"wrong dtype: got {arr.dtype}, expected {dtype}"
        if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
            return f"wrong dtype: got {arr.dtype}, expected a numeric array"
        a = arr.astype(np.float64)
        bad = ~np.isfinite(a) & np.isfinite(expected)
        if bad.any():
            return f"{int(bad.sum())} of {a.size} entries are nan or inf (expected finite values)"
        if a.size == 0:
            return None
        with np.errstate(invalid="ignore", over="ignore"):   # inf - inf where both are inf: nan, judged below
            err = np.abs(a - expected)
            tol = atol + rtol * np.abs(expected)
            over = ~(err <= tol) & ~(np.isnan(a) & np.isnan(expected))
        if over.any():
            errs = err[over]
            worst = f"max abs error {float(errs[~np.isnan(errs)].max()):.3g}" if (~np.isnan(errs)).any() \
                else "nan where a number is expected, or a number where nan is expected"
            return (f"values differ: {worst} "
                    f"in {int(over.sum())} of {a.size} entries (tolerance {atol:g} + {rtol:g}*|expected|)")
        return None

    return compare


def exact(dtype_kind: str = "iu") -> Compare:
    """An array equal to the expected one exactly, with an integer (or given) dtype kind."""

    def compare(got: Any, expected: np.ndarray) -> str | None:
        arr, problem = _shaped_like(got, expected)
        if problem:
            return problem
        if arr.dtype.kind not in dtype_kind:
            return f"wrong dtype: got {arr.dtype}, expected an integer array"
        wrong = arr != expected
        if wrong.any():
            return f"{int(wrong.sum())} of {arr.size} entries are wrong"
        return None

    return compare


def scalar(rtol: float = 1e-6, atol: float = 1e-9, kind: type = float) -> Compare:
    """A real number (Python or NumPy scalar, or 0-d array) close to the expected one."""

    def compare(got: Any, expected: float) -> str | None:
        if isinstance(got, np.ndarray) and got.shape == () and got.dtype.kind in "fiu":
            got = got.item()
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return f"expected a {kind.__name__}, got {describe(got)}"
        if kind is int and not isinstance(got, int):
            return f"expected an int, got {describe(got)}"
        if not math.isfinite(got) and math.isfinite(expected):
            return f"got {got} (expected a finite number)"
        if abs(got - expected) > atol + rtol * abs(expected):
            return f"value differs: error {abs(got - expected):.3g}"
        return None

    return compare


def sequence(*parts: Compare, names: tuple[str, ...] = ()) -> Compare:
    """A tuple (or list) whose items pass ``parts`` in order."""

    def compare(got: Any, expected: tuple) -> str | None:
        if not isinstance(got, (tuple, list)) or len(got) != len(parts):
            return f"expected a tuple of {len(parts)} values, got {describe(got)}"
        for k, (p, g, e) in enumerate(zip(parts, got, expected)):
            problem = p(g, e)
            if problem is not None:
                name = names[k] if k < len(names) else f"item {k}"
                return f"{name}: {problem}"
        return None

    return compare


# ------------------------------------------------------------------ assignments
TORCH_PRELUDE = "import numpy as np\nimport torch\ntorch.set_num_threads(1)"
TORCH_LIMITS = dict(startup_seconds=60.0, cell_seconds=30.0, call_seconds=30.0, notebook_seconds=300.0,
                    cpu_seconds=300, memory_bytes=3 * 2**30)


@dataclass(frozen=True)
class RunGroup:
    """Answer cells that run together in one sandbox, with what they may import."""

    tasks: tuple[str, ...]
    prelude: str
    forbid: tuple[str, ...]
    limits: dict
    probes: str = ""          # source of the assignment's probe module, or ""


@dataclass
class Assignment:
    """The checks of one assignment, keyed by graded function name.

    Chapters 5-9 mix NumPy answers and PyTorch answers. ``torch_tasks`` names
    the graded functions that may (and must) use torch: they run in a sandbox
    of their own, with torch importable, ``torch_prelude`` and ``torch_limits``
    (over :data:`TORCH_LIMITS`); every other answer runs in the NumPy sandbox,
    where the modules in ``forbid`` are hidden and a use of them is not
    credited. So a NumPy answer can never reach torch through a torch cell.
    ``probes`` names a file beside ``checks.py`` whose ``PROBES`` dict adds
    ways of calling an answer (see ``harness.load_probes``); it is loaded in
    the torch sandbox (or the only one), in the notebook and in the grader.
    """

    name: str
    prelude: str = "import numpy as np"
    forbid: tuple[str, ...] = ()            # modules answers may not use (e.g. torch)
    tasks: dict[str, Callable] = field(default_factory=dict)
    limits: dict = field(default_factory=dict)  # overrides of sandbox.Limits
    torch_tasks: tuple[str, ...] = ()
    torch_prelude: str = TORCH_PRELUDE
    torch_limits: dict = field(default_factory=dict)
    probes: str | None = None               # file name beside checks.py
    directory: Path | None = None           # set by :func:`load`

    def task(self, name: str):
        def register(fn):
            self.tasks[name] = fn
            return fn
        return register

    def forbid_for(self, task: str) -> tuple[str, ...]:
        """The modules the answer ``task`` may not use."""
        return () if task in self.torch_tasks else self.forbid

    @property
    def probe_source(self) -> str:
        if not self.probes:
            return ""
        return ((self.directory or CHECKS_DIR / self.name) / self.probes).read_text()

    def run_groups(self, tasks) -> list[RunGroup]:
        """How the answers ``tasks`` (in notebook order) are split over sandboxes."""
        torch_side = tuple(t for t in tasks if t in self.torch_tasks)
        numpy_side = tuple(t for t in tasks if t not in self.torch_tasks)
        if not torch_side:
            return [RunGroup(numpy_side, self.prelude, self.forbid, dict(self.limits), self.probe_source)]
        groups = [RunGroup(numpy_side, self.prelude, self.forbid, dict(self.limits))] if numpy_side else []
        groups.append(RunGroup(torch_side, self.torch_prelude, (), {**TORCH_LIMITS, **self.torch_limits},
                               self.probe_source))
        return groups

    def cases(self, task: str, hidden_seed: int | None = None) -> list[Case]:
        """The visible cases, plus the hidden ones when a seed is given."""
        gen = self.tasks[task]
        out = list(gen(np.random.default_rng(VISIBLE_SEED), False))
        if hidden_seed is not None:
            out += [dataclass_replace(c, hidden=True) for c in gen(np.random.default_rng(hidden_seed), True)]
        for c in out:
            if c.task != task:
                raise ValueError(f"{self.name}: case {c.label!r} of {task} names task {c.task}")
        return out


def dataclass_replace(case: Case, **kw) -> Case:
    from dataclasses import replace
    return replace(case, **kw)


def load(assignment: str) -> Assignment:
    """Load ``autograder/<assignment>/checks.py`` and return its ``ASSIGNMENT``."""
    path = CHECKS_DIR / assignment / "checks.py"
    if not path.is_file():
        raise FileNotFoundError(f"no checks for assignment {assignment!r} (looked for {path})")
    spec = importlib.util.spec_from_file_location(f"nncourse_checks_{assignment}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    a = getattr(mod, "ASSIGNMENT", None)
    if not isinstance(a, Assignment) or a.name != assignment:
        raise ValueError(f"{path} must define ASSIGNMENT = Assignment({assignment!r}, ...)")
    a.directory = path.parent
    unknown = set(a.torch_tasks) - set(a.tasks)
    if unknown:
        raise ValueError(f"{path}: torch_tasks names unknown tasks {sorted(unknown)}")
    return a


def load_probes(checks_file: str | Path, name: str = "probes.py") -> dict:
    """The ``PROBES`` of the probe module beside ``checks_file``, for oracles in checks.py:
    the grader computes expected values by running the same probe on a reference."""
    from . import harness
    path = Path(checks_file).with_name(name)
    return harness.load_probes(path.read_text(), str(path))


def probe_module(checks_file: str | Path, name: str = "probes.py"):
    """The probe module beside ``checks_file`` itself, for checks that share its helpers
    (how a probe's instructions are described in feedback, say)."""
    from . import harness
    path = Path(checks_file).with_name(name)
    return harness.load_probe_module(path.read_text(), str(path))
