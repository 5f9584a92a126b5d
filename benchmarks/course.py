"""The whole course, measured on this machine (issue: build and grading budgets).

    .venv/bin/python benchmarks/course.py [--skip-build] [--skip-tests] [--students 100]

Prints: cold whole-book build time (in a scratch clone, every notebook
executed), cached rebuild time, each chapter notebook's execution time,
each reference solution's grading time (visible and hidden checks, through
the sandbox), the class-grading benchmark, the test-suite time, and the
quality table of the course's models. Goals (2 cores): cold build <= 10 min,
chapters <= 60 s (training chapters 6-8: 120 s), cached rebuild <= 60 s,
test suite <= 20 min.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(cmd, cwd, timeout=3600) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - t0, p.returncode, p.stdout[-3000:] + p.stderr[-3000:]


def chapters() -> list[Path]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [ROOT / f"{f}.md" for f in files if Path(f).name.startswith("ch")]


def notebook_times() -> None:
    print("\nchapter notebooks (jupytext + nbclient, fresh kernel):")
    import jupytext
    from nbclient import NotebookClient

    for md in chapters():
        nb = jupytext.read(md)
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(md.parent)}}).execute()
        dt = time.perf_counter() - t0
        limit = 120 if md.stem.startswith(("ch06", "ch07", "ch08")) else 60
        print(f"  {md.stem:<22} {dt:6.1f} s   (goal <= {limit} s) {'OK' if dt <= limit else 'OVER'}")


def grading_times() -> None:
    from nncourse.grading import checks, grader, release
    from nncourse.grading.testing import make_submission

    print("\nreference solutions, graded through the sandbox (visible + hidden checks):")
    with tempfile.TemporaryDirectory() as tmp:
        for a in release.assignments():
            nb = make_submission(a, Path(tmp) / f"{a}.ipynb")
            spec = checks.load(a)
            t0 = time.perf_counter()
            r = grader.grade_notebook(nb, spec, "reference")
            dt = time.perf_counter() - t0
            print(f"  {a:<18} {r.score:g}/{r.max_score:g} points  wall {dt:5.2f} s  sandbox CPU {r.cpu_seconds:5.2f} s")


def book_times() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "course"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        for extra in (".mathjax", "data"):
            if (ROOT / extra).exists():
                shutil.copytree(ROOT / extra, clone / extra, symlinks=True)
        cmd = [str(BIN / "jupyter-book"), "build", ".", "--warningiserror", "--keep-going"]
        cold, rc, out = run(cmd, clone)
        print(f"cold whole-book build (committed tree, scratch clone): {cold:6.1f} s  exit {rc}  (goal <= 600 s)")
        if rc:
            print(out)
        shutil.rmtree(clone / "_build" / "html")
        cached, rc, _ = run(cmd, clone)
        print(f"cached rebuild (HTML removed, execution cache kept):   {cached:6.1f} s  exit {rc}  (goal <= 60 s)")


def quality_table() -> None:
    from nncourse import numpy_mlp

    print("\nquality of the course's models (this machine):")
    print(f"  {'model':<28} {'data':<22} {'metric':<24} {'train s':>8} {'params':>9}")
    r = numpy_mlp.benchmark_row() if hasattr(numpy_mlp, "benchmark_row") else None
    if r is None:
        out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "mlp_digits.py"), "--seeds", "1"],
                             capture_output=True, text=True, cwd=ROOT).stdout
        print("  NumPy MLP (chapter 4)        sklearn digits         see benchmarks/mlp_digits.py:")
        print("    " + "\n    ".join(out.strip().splitlines()))
    for model, data in (("CNN (chapter 6)", "Fashion-MNIST"), ("LSTM (chapter 7)", "Shakespeare"),
                        ("GPT (chapter 8)", "Shakespeare")):
        print(f"  {model:<28} {data:<22} pending: chapter not written yet")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--skip-tests", action="store_true")
    ap.add_argument("--students", type=int, default=100)
    a = ap.parse_args()
    if not a.skip_build:
        book_times()
    notebook_times()
    grading_times()
    print("\nclass grading:")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "grade_class.py"), "--students", str(a.students),
                    "--skip-nbgrader"], cwd=ROOT)
    if not a.skip_tests:
        dt, rc, out = run([sys.executable, "-m", "pytest", "-n", "2", "-q"], ROOT)
        print(f"\ntest suite (pytest -n 2): {dt:6.1f} s  exit {rc}  (goal <= 1200 s)\n  {out.strip().splitlines()[-1]}")
    quality_table()
    return 0


if __name__ == "__main__":
    sys.exit(main())
