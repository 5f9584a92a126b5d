"""Grade submissions: sandboxed execution, comparison outside, nbgrader gradebook.

For one submission (:func:`grade_notebook`):

1. read the notebook without trusting it (:mod:`.notebook`), keeping only
   the answer cells that match the instructor's notebook by ``grade_id``;
2. flag answers that use a forbidden module (torch in NumPy chapters);
3. derive the hidden seed from the grader's secret key and the submission,
   build every case's inputs and expected values here, with the oracles;
4. run the answers and the calls in the sandbox (:mod:`.sandbox`);
5. judge every returned value here, in a process the student's code never
   ran in, and score each test cell: points x passed weight / total weight.

:func:`grade_class` does this for a folder of submissions in parallel,
then writes the gradebook, the graded notebooks and a CSV, serially.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import checks as checks_mod
from . import notebook as nbmod
from . import sandbox, wire
from .checks import Assignment, Case, Fn, Rng

ROOT = checks_mod.ROOT
KEY_FILE = ROOT / "autograder" / ".secret_key"
# grade_class grades submissions in threads; the expected values of a case are computed
# when it is built, and an oracle that calls torch.manual_seed (to build the same model
# as the probe in the sandbox) must not interleave with another thread's draws
ORACLE_LOCK = threading.RLock()
# answers may not use the course's own package: it holds the reference code the book runs
OWN_PACKAGE = ("nncourse",)
OWN_PACKAGE_WHY = ("the course's package holds the reference code the chapters run, not your answer "
                   "(write the function yourself; the grader's sandbox does not have nncourse)")
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}$")


# ---------------------------------------------------------------- results
@dataclass
class CheckResult:
    label: str
    hidden: bool
    passed: bool
    message: str = ""


@dataclass
class TaskResult:
    task: str
    test_id: str
    points: float
    score: float = 0.0
    checks: list[CheckResult] = field(default_factory=list)
    note: str = ""          # why the whole task scored 0 (missing, forbidden import, ...)

    def feedback(self) -> str:
        lines = [f"{self.task}: {self.score:g} / {self.points:g} points"]
        if self.note:
            lines.append(f"  ✘ {self.note}")
        for c in self.checks:
            kind = "hidden check" if c.hidden else "check"
            lines.append(f"  {'✔' if c.passed else '✘'} {kind}: {c.label}"
                         + ("" if c.passed else f"\n      -> {c.message}"))
        return "\n".join(lines) + "\n"


@dataclass
class SubmissionResult:
    student: str
    assignment: str
    tasks: dict[str, TaskResult] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)   # manually graded answers
    written_ids: list[str] = field(default_factory=list)
    graded_nb: dict | None = None
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    timestamp: str | None = None
    folder: Path | None = None      # the submission's folder (its other files go to autograded/)

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tasks.values())

    @property
    def max_score(self) -> float:
        return sum(t.points for t in self.tasks.values())

    def report(self) -> str:
        out = [f"{self.assignment} / {self.student}: {self.score:g} / {self.max_score:g} autograded points"]
        out += [f"  ! {m}" for m in self.messages]
        out += [t.feedback().rstrip() for t in self.tasks.values()]
        return "\n".join(out)


# ---------------------------------------------------------------- the key and seeds
def grader_key() -> bytes:
    """The secret that hidden inputs derive from; made on first use, never in git."""
    env = os.environ.get("NNCOURSE_GRADER_KEY")
    if env:
        return env.encode()
    if not KEY_FILE.exists():
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return KEY_FILE.read_text().strip().encode()


def hidden_seed(key: bytes, assignment: str, student: str, task: str, answer: str) -> int:
    msg = "\0".join([assignment, student, task, hashlib.sha256(answer.encode()).hexdigest()])
    return int.from_bytes(hmac.new(key, msg.encode(), hashlib.sha256).digest()[:8], "little")


# ---------------------------------------------------------------- paths
def source_path(assignment: str) -> Path:
    return ROOT / "solutions" / assignment / f"{assignment}.ipynb"


def release_path(assignment: str) -> Path:
    return ROOT / "exercises" / assignment / f"{assignment}.ipynb"


def _encode_arg(x):
    if isinstance(x, Fn):
        return {"__callable__": x.name}
    if isinstance(x, Rng):
        return {"__rng__": int(x.seed)}
    return wire.encode(x)


def _encode_call(c: Case) -> dict:
    call = {"probe": c.probe, "target": c.task, "args": [_encode_arg(a) for a in c.args],
            "kwargs": {k: _encode_arg(v) for k, v in c.kwargs.items()}}
    if c.seconds is not None:
        call["seconds"] = float(c.seconds)
    return call


# ---------------------------------------------------------------- one notebook
def grade_notebook(nb_path: Path | None, spec: Assignment, student: str = "self-check", *,
                   visible_only: bool = False, sandboxed: bool = True, key: bytes | None = None,
                   pre_messages: tuple[str, ...] = (), not_run: str | None = None) -> SubmissionResult:
    """Grade one notebook file; never raises because of what the file contains.

    ``not_run``: run nothing, every answer scores 0 with this note (the answers and
    written work are still read into the graded notebook): for a submission whose
    grading could not finish, e.g. one that brought its cluster workers down."""
    source_nb, err = nbmod.load_json_notebook(source_path(spec.name))
    if source_nb is None:
        raise RuntimeError(f"instructor's notebook unreadable: {err}")
    layout = nbmod.Layout.of(source_nb)
    res = SubmissionResult(student, spec.name, messages=list(pre_messages))
    for test_id, pts in layout.tests.items():
        task = layout.task_of_test(test_id)
        if task is not None:
            res.tasks[task] = TaskResult(task, test_id, pts)
    nb = None
    if nb_path is not None:
        nb, err = nbmod.load_json_notebook(nb_path)
        if err:
            res.messages.append(err)
    answers = nbmod.extract_answers(nb, layout) if nb is not None else nbmod.Answers()
    res.messages += answers.messages
    release_nb, _ = nbmod.load_json_notebook(release_path(spec.name))
    stubs = _stubs(release_nb)
    res.written = {gid: text for gid, text in answers.written.items() if not _untouched(text, gid, stubs)}
    res.written_ids = list(layout.written)
    # static check: forbidden modules (torch in NumPy answers)
    runnable: dict[str, str] = {}
    for task in layout.code_answers:
        src = answers.code.get(task)
        if src is None:
            if task in res.tasks:
                res.tasks[task].note = "no answer (cell missing or malformed)"
            continue
        bad = nbmod.uses_forbidden(src, spec.forbid_for(task))
        own = nbmod.uses_forbidden(src, OWN_PACKAGE)
        if own and task in res.tasks:
            res.tasks[task].note = f"not credited: the answer {own}: {OWN_PACKAGE_WHY}"
        elif bad and task in res.tasks:
            res.tasks[task].note = f"not credited: the answer {bad}; this exercise must be solved with NumPy only"
        runnable[task] = src
    if not_run:
        for tr in res.tasks.values():
            tr.note = tr.note or not_run
    # cases: inputs and expected values, computed here
    key = key if key is not None else (b"" if visible_only else grader_key())
    cases: list[Case] = []
    for task, tr in res.tasks.items():
        if tr.note or task not in spec.tasks:
            continue
        seed = None if visible_only else hidden_seed(key, spec.name, student, task, runnable.get(task, ""))
        with ORACLE_LOCK:  # oracles seed torch's global RNG: one submission's at a time
            cases += spec.cases(task, seed)
    # run: one sandbox per group (NumPy answers with torch hidden; torch answers apart)
    steps: dict[int, sandbox.StepResult] = {}
    cell_results: dict[str, sandbox.StepResult] = {}
    for group in spec.run_groups(tuple(runnable)):
        mine = [(k, c) for k, c in enumerate(cases) if c.task in group.tasks]
        if not mine:
            continue
        request = {
            "prelude": group.prelude,
            "probes": group.probes,
            "forbid": list(group.forbid),
            "cells": [{"name": t, "source": runnable[t]} for t in group.tasks],
            "calls": [_encode_call(c) for _, c in mine],
        }
        run = sandbox.run(request, sandbox.Limits(**group.limits), sandboxed=sandboxed, hide=group.forbid)
        res.wall_seconds += run.wall_seconds
        res.cpu_seconds += run.cpu_seconds
        cell_results.update(run.cells)
        steps.update({k: step for (k, _), step in zip(mine, run.calls)})
        if run.forbidden_modules:
            # the real modules are not in the sandbox (an import yields nothing usable), and
            # answers that name them are not credited (static check): report, nothing more
            res.messages.append(f"imported forbidden modules: {', '.join(run.forbidden_modules)}")
    # judge, here
    for k, c in enumerate(cases):
        tr = res.tasks[c.task]
        cell = cell_results.get(c.task)
        step = steps.get(k)
        if cell is not None and not cell.ok:
            msg = f"its answer cell failed: {cell.error}"
        elif step is None:
            msg = "not run"
        elif not step.ok:
            msg = f"raised {step.error}" if not step.error.startswith(("the call", "not run")) else step.error
        else:
            try:
                got = wire.decode(step.value)
                after = [wire.decode(a) for a in step.args_after]
            except wire.WireError as e:
                msg = f"returned a value the grader cannot read ({e})"
            else:
                try:
                    msg = c.judge(got, after, step.warnings)
                except Exception as e:  # noqa: BLE001 - an odd value must fail this check, not the grader
                    msg = f"returned a value the check cannot compare ({type(e).__name__})"
        tr.checks.append(CheckResult(c.label, c.hidden, msg is None, msg or ""))
    for tr in res.tasks.values():
        mine = [c for c in cases if c.task == tr.task]
        total = sum(c.weight for c in mine)
        passed = sum(c.weight for c, r in zip(mine, tr.checks) if r.passed)
        tr.score = round(tr.points * passed / total, 4) if total and not tr.note else 0.0
    outputs = {tr.test_id: tr.feedback() for tr in res.tasks.values()}
    if release_nb is not None:
        res.graded_nb = nbmod.rebuild(release_nb, answers, layout, outputs)
    return res


def _stubs(release_nb: dict | None) -> dict[str, str]:
    """The release's text of every graded answer cell, by grade_id (what "untouched" means)."""
    return {nbmod.nbgrader_meta(c)["grade_id"]: (nbmod.cell_source(c) or "").strip()
            for c in (release_nb or {}).get("cells", []) if nbmod.nbgrader_meta(c).get("grade_id")}


def _untouched(text: str, gid: str, stubs: dict[str, str]) -> bool:
    """Is a manually graded answer still the release's stub (nothing written)?"""
    return not text.strip() or text.strip() in {"YOUR ANSWER HERE", "# YOUR CODE HERE\nraise NotImplementedError()",
                                                 stubs.get(gid)}


# ---------------------------------------------------------------- a class
@dataclass
class Submission:
    """One student's entry in a submissions folder (nothing in it is trusted)."""

    student: str
    notebook: Path | None            # the file to grade, or None (messages say why)
    timestamp: str | None = None     # from timestamp.txt, only if it parses as a date
    messages: list[str] = field(default_factory=list)


def _regular(p: Path) -> bool:
    """A regular file that is not a symbolic link (a link could point anywhere)."""
    return p.is_file() and not p.is_symlink()


def read_timestamp(adir: Path) -> tuple[str | None, str | None]:
    """``timestamp.txt`` of a submission if it is a valid date: (timestamp, problem)."""
    from nbgrader.utils import parse_utc

    f = adir / "timestamp.txt"
    if not f.exists() and not f.is_symlink():
        return None, None
    if not _regular(f) or f.stat().st_size > 200:
        return None, "timestamp.txt is not a small regular file: ignored"
    try:
        text = f.read_text(errors="strict").strip()
        parse_utc(text)
    except Exception:  # noqa: BLE001 - any unparsable content
        return None, "timestamp.txt does not hold a date: ignored"
    return text, None


def find_submissions(folder: Path, assignment: str) -> tuple[list[Submission], list[str]]:
    """``folder/<student>/<assignment>/<assignment>.ipynb`` for every student.

    Returns (submissions, refused folders). A folder whose name is not a valid
    student id is refused (never graded nor saved). Symbolic links are never
    followed. A renamed notebook is used when it is the only one; otherwise
    the student gets a message and zero.
    """
    subs: list[Submission] = []
    refused: list[str] = []
    for sdir in sorted(Path(folder).iterdir()):
        name = sdir.name
        if sdir.is_symlink() or not sdir.is_dir():
            if sdir.is_symlink():
                refused.append(f"{ascii(name)}: a symbolic link, not graded")
            continue
        if not STUDENT_ID.match(name):
            refused.append(f"{ascii(name)}: not a valid student id (letters, digits and _.@+-), not graded")
            continue
        adir = sdir / assignment
        want = adir / f"{assignment}.ipynb"
        if adir.is_symlink():
            subs.append(Submission(name, None, messages=["the assignment folder is a symbolic link: nothing graded"]))
            continue
        ts, problem = read_timestamp(adir) if adir.is_dir() else (None, None)
        sub = Submission(name, None, ts, [problem] if problem else [])
        subs.append(sub)
        if want.is_symlink():
            sub.messages.append(f"{want.name} is a symbolic link: nothing graded")
        elif _regular(want):
            sub.notebook = want
        else:
            others = sorted(p for p in adir.glob("*.ipynb") if _regular(p)) if adir.is_dir() else []
            if len(others) == 1:
                sub.notebook = others[0]
                sub.messages.append(f"the notebook was renamed to {others[0].name!r}; graded it as {want.name!r}")
            elif others:
                sub.messages.append(f"no {want.name} but several notebooks "
                                    f"({', '.join(p.name for p in others)}): nothing graded")
            else:
                sub.messages.append(f"no {want.name} in the submission: nothing graded")
    return subs, refused


def grade_class(assignment: str, folder: Path, *, workers: int | None = None, sandboxed: bool = True,
                progress=None, found: list[Submission] | None = None) -> list[SubmissionResult]:
    """Grade every submission of ``assignment`` under ``folder`` in parallel."""
    spec = checks_mod.load(assignment)
    if sandboxed and (problem := sandbox.bwrap_problem()):
        raise sandbox.SandboxUnavailable(f"refusing to run student code: {problem}. {sandbox.INSTALL_HINT}")
    subs = found if found is not None else find_submissions(Path(folder), assignment)[0]
    key = grader_key()
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        pass

    def one(sub: Submission):
        try:
            r = grade_notebook(sub.notebook, spec, sub.student, sandboxed=sandboxed, key=key,
                               pre_messages=tuple(sub.messages))
        except Exception as e:  # noqa: BLE001 - a bug of ours must not stop the class
            r = SubmissionResult(sub.student, assignment,
                                 messages=[*sub.messages, f"grader error: {type(e).__name__}: {e}"])
        r.timestamp = sub.timestamp
        r.folder = sub.notebook.parent if sub.notebook is not None else None
        if progress:
            progress(r)
        return r

    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
        return list(pool.map(one, subs))
