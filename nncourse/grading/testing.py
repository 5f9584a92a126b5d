"""Helpers for testing the grader with real submissions (tests and benchmarks).

A *variant* is a file ``tests/variants/<assignment>/<task>__<name>.py`` with
a header (``# task: <function>``, ``# expect: full|less|zero``) and the code
of one answer cell. :func:`make_submission` builds a student notebook from
the release, with the reference solution in every answer cell except the
ones replaced, so that a variant is graded exactly as a student's file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import notebook as nbmod
from .grader import ROOT, release_path, source_path

HEADER = re.compile(r"^#\s*(task|expect):\s*(\S+)\s*$", re.M)


@dataclass(frozen=True)
class Variant:
    name: str
    task: str
    expect: str       # full | less | zero
    source: str
    path: Path


def load_variants(assignment: str, folder: Path | None = None) -> list[Variant]:
    folder = folder or ROOT / "tests" / "variants" / assignment
    out = []
    for p in sorted(folder.glob("*.py")):
        text = p.read_text()
        head = dict(HEADER.findall(text))
        if set(head) != {"task", "expect"} or head["expect"] not in ("full", "less", "zero"):
            raise ValueError(f"{p}: needs '# task: <function>' and '# expect: full|less|zero' headers")
        out.append(Variant(p.stem, head["task"], head["expect"], text, p))
    return out


def reference_answers(assignment: str) -> dict[str, str]:
    nb, err = nbmod.load_json_notebook(source_path(assignment))
    if nb is None:
        raise RuntimeError(err)
    layout = nbmod.Layout.of(nb)
    return nbmod.extract_answers(nb, layout).code


def make_submission(assignment: str, dest: Path, replace: dict[str, str] | None = None,
                    blank: bool = False) -> Path:
    """Write a student notebook to ``dest``; ``replace`` maps grade_id -> cell source."""
    nb = json.loads(release_path(assignment).read_text())
    answers = {} if blank else reference_answers(assignment)
    answers.update(replace or {})
    for cell in nb["cells"]:
        gid = nbmod.nbgrader_meta(cell).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(nb, indent=1))
    return dest


def run_grade(assignment: str, folder: Path, workdir: Path, *extra: str, timeout: float = 1200):
    """Run the real ``nncourse grade`` command; return (process, db_url, csv path, report path)."""
    db = f"sqlite:///{workdir / 'gradebook.db'}"
    csv, report = workdir / "grades.csv", workdir / "report.txt"
    exe = Path(sys.executable).with_name("nncourse")
    proc = subprocess.run([str(exe), "grade", assignment, "--submissions", str(folder), "--db-url", db,
                           "--csv", str(csv), "--report", str(report),
                           "--autograded-dir", str(workdir / "autograded"),
                           "--checks-csv", str(workdir / "checks.csv"), *extra],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    return proc, db, csv, report


def read_scores(db_url: str, assignment: str) -> dict[str, dict[str, float]]:
    """``{student: {grade_id: score}}`` for every autograded test cell in the gradebook."""
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, float]] = {}
    with Gradebook(db_url) as gb:
        for sub in gb.find_assignment(assignment).submissions:
            for nb in sub.notebooks:
                for g in nb.grades:
                    out.setdefault(sub.student.id, {})[g.name] = g.score
    return out


def reference_notebook(assignment: str):
    """The source notebook as a student who solved everything would run it: every
    code cell but the test cells, solution markers removed (nbformat node)."""
    import nbformat

    nb = nbformat.read(str(source_path(assignment)), as_version=4)
    keep = []
    for cell in nb.cells:
        m = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or (m.get("grade") and not m.get("solution")):
            continue
        cell.source = "\n".join(line for line in cell.source.splitlines()
                                if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
        cell.outputs = []
        keep.append(cell)
    nb.cells = keep
    return nb


def run_experiments(assignment: str, timeout: int = 600):
    """Run the reference notebook (answers, then the experiments) in a fresh kernel in the
    exercise's folder. Returns ``{experiment grade_id: (figures drawn, seconds)}``."""
    import os
    import time

    from nbclient import NotebookClient

    nb = reference_notebook(assignment)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(release_path(assignment).parent)}})
    out = {}
    # one thread per kernel: beside other work (a book build, the other test worker), two torch
    # jobs with a thread per core each slow each other down many times over
    saved = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        with client.setup_kernel():
            for k, cell in enumerate(nb.cells):
                t0 = time.perf_counter()
                client.execute_cell(cell, k)
                seconds = time.perf_counter() - t0
                if cell.metadata.get("nncourse", {}).get("kind") == "experiment":
                    figures = sum("image/png" in o.get("data", {}) for o in cell.outputs)
                    out[cell.metadata["nbgrader"]["grade_id"]] = (figures, seconds)
    finally:
        if saved is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = saved
    return out


class DaskProcesses:
    """A ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1 with TLS, started
    as real processes (for the cluster tests and ``benchmarks/grade_class.py --cluster``).

    Every process gets its own session (so its sandboxes go with it), its log in
    ``folder``, and the course root as its working directory; every wait is bounded.
    :meth:`stop` ends them all (SIGTERM, then SIGKILL); use it in ``finally`` or as a
    context manager.
    """

    def __init__(self, folder: Path, tls_dir: Path, allowed_failures: int = 2):
        self.folder, self.tls = Path(folder), Path(tls_dir)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.allowed_failures = allowed_failures
        self.scheduler = None
        self.address = ""
        self.workers: dict[str, subprocess.Popen] = {}
        self._logs: list = []

    def __enter__(self) -> "DaskProcesses":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _tls_args(self) -> list[str]:
        return ["--tls-ca-file", str(self.tls / "ca.pem"), "--tls-cert", str(self.tls / "cert.pem"),
                "--tls-key", str(self.tls / "key.pem")]

    def _start(self, name: str, args: list[str], env: dict | None) -> subprocess.Popen:
        import os

        log = open(self.folder / f"{name}.log", "wb")
        self._logs.append(log)
        base = {k: v for k, v in os.environ.items() if k != "NNCOURSE_GRADER_KEY"}
        return subprocess.Popen([str(Path(sys.executable).with_name("dask")), *args], cwd=ROOT, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                                env={**base, "OMP_NUM_THREADS": "1", **(env or {})})

    def start_scheduler(self, timeout: float = 90) -> str:
        import time

        info = self.folder / "scheduler.json"
        info.unlink(missing_ok=True)
        self.scheduler = self._start(
            "scheduler", ["scheduler", "--host", "127.0.0.1", "--protocol", "tls", "--port", "0",
                          "--no-dashboard", "--scheduler-file", str(info), *self._tls_args()],
            {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(self.allowed_failures)})
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.scheduler.poll() is not None:
                raise RuntimeError(f"dask scheduler exited ({self.scheduler.returncode}):\n{self.log('scheduler')}")
            try:
                self.address = json.loads(info.read_text())["address"]
                return self.address
            except (OSError, ValueError, KeyError):
                time.sleep(0.1)
        raise TimeoutError(f"dask scheduler not up after {timeout:g} s:\n{self.log('scheduler')}")

    def start_worker(self, name: str, env: dict | None = None, wait: bool = True,
                     timeout: float = 120) -> subprocess.Popen:
        """A worker with one thread and no nanny (a SIGKILL is the worker's death)."""
        p = self._start(name, ["worker", self.address, "--name", name, "--nthreads", "1", "--no-nanny",
                               "--no-dashboard", *self._tls_args()], env)
        self.workers[name] = p
        if wait:
            self.wait_registered(name, timeout)
        return p

    def wait_registered(self, name: str, timeout: float = 120) -> None:
        import time

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if "Registered to:" in self.log(name):
                return
            if self.workers[name].poll() is not None:
                raise RuntimeError(f"dask worker {name} exited:\n{self.log(name)}")
            time.sleep(0.1)
        raise TimeoutError(f"dask worker {name} not registered after {timeout:g} s:\n{self.log(name)}")

    def log(self, name: str) -> str:
        p = self.folder / f"{name}.log"
        return p.read_text(errors="replace") if p.exists() else ""

    def alive_workers(self) -> list[str]:
        return [n for n, p in self.workers.items() if p.poll() is None]

    def kill(self, name: str, sig: int | None = None) -> None:
        """Send ``sig`` (default SIGKILL) to the worker's whole process group."""
        import os
        import signal

        p = self.workers[name]
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL if sig is None else sig)
            except ProcessLookupError:
                pass
        p.wait(timeout=30)

    def processes(self) -> list[subprocess.Popen]:
        return [p for p in [self.scheduler, *self.workers.values()] if p is not None]

    def stop(self, timeout: float = 20) -> None:
        """The workers, then the scheduler: SIGTERM to each process group, SIGKILL to what
        is left after ``timeout``; every process reaped."""
        import os
        import signal
        import time

        for group in ([*self.workers.values()], [self.scheduler] if self.scheduler else []):
            for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 30)):
                for p in group:
                    if p.poll() is not None:       # reaped: its id may belong to another process now
                        continue
                    try:
                        os.killpg(p.pid, sig)      # its own session: the worker and its sandboxes
                    except ProcessLookupError:
                        pass
                end = time.monotonic() + wait
                for p in group:
                    try:
                        p.wait(timeout=max(0.1, end - time.monotonic()))
                    except subprocess.TimeoutExpired:
                        pass
        for log in self._logs:
            log.close()
        self._logs = []

    def leftovers(self) -> list[int]:
        """Processes still in the groups of those started here (should be none after stop)."""
        import os

        groups = {p.pid for p in self.processes()}   # a group outlives its leader while members live
        left = []
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    if os.getpgid(int(d.name)) in groups:
                        left.append(int(d.name))
                except (ProcessLookupError, PermissionError):
                    pass
        return left
