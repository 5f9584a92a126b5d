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
