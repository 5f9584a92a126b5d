"""The whole course, measured on this machine: build and grading budgets, determinism, quality.

    .venv/bin/python benchmarks/course.py [--skip-build] [--skip-tests] [--students 100]
                                          [--measure-models]

Prints, each figure next to its goal (2 cores):

1. cold whole-book build (a scratch clone of the committed tree, every
   notebook executed)                                  goal <= 600 s
2. cached rebuild (HTML removed, execution cache kept)  goal <= 60 s
3. each chapter notebook's execution time (fresh kernel, nbclient) and its
   kernel's CPU seconds                                 goal <= 60 s, training chapters 6-8 <= 120 s
4. determinism: each fresh run compared with the cold build's cached run
   (``nncourse.book.differences``: same printed numbers, timings masked)
5. each reference solution graded through the sandbox (visible + hidden checks), and the
   exercises' table (``exercises.py``): points, what the copy-the-chapter submission
   earns (goal <= 5%), grading CPU per notebook, the reference experiment's seconds
   (goal <= 60 s)
6. the class-grading benchmark (``grade_class.py``)   goal <= 1 s CPU per notebook
7. the test suite (``make test``'s pytest command, in a scratch clone as CI
   runs it)                                           goal <= 1500 s (25 minutes)
8. the quality table of the course's models, from ``benchmarks/results/quality.json``
   (``--measure-models`` first re-runs the model benchmarks, which rewrite it;
   the book's appendix shows the same file)

The machine (CPU, cores) and its load average are printed at the start and the
end: other jobs slow every wall-clock figure down. With ``--skip-build`` the
chapters run in this working tree and are compared with its own
``_build/.jupyter_cache`` (when a build left one).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from nncourse import book, quality  # noqa: E402

GOAL_COLD, GOAL_CACHED, GOAL_SUITE, GOAL_GRADE_CPU = 600, 60, 1500, 1.0
TRAINING_CHAPTERS = ("ch06", "ch07", "ch08", "ch10", "ch11")
MODEL_BENCHMARKS = ["benchmarks/mlp_digits.py", "benchmarks/cnn_fashion.py", "benchmarks/shakespeare_lm.py"]


def ok(value: float, goal: float) -> str:
    return "OK" if value <= goal else "OVER"


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, cwd, timeout=3600) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - t0, p.returncode, p.stdout[-3000:] + p.stderr[-3000:]


def machine_line() -> str:
    m = quality.machine()
    return f"{m['cpu']}, {m['cores']} cores, Python {m['python']}; load average {os.getloadavg()[0]:.1f}"


def scratch_clone(tmp: Path) -> Path:
    clone = tmp / "course"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    for extra in (".mathjax", "data"):
        if (ROOT / extra).exists():
            shutil.copytree(ROOT / extra, clone / extra, symlinks=True)
    return clone


def book_times(clone: Path) -> None:
    cmd = [book.jupyter_book(), *book.BUILD_ARGS]
    cold, rc, out = run(cmd, clone)
    print(f"cold whole-book build (committed tree, scratch clone): {cold:6.1f} s  exit {rc}  "
          f"(goal <= {GOAL_COLD} s) {ok(cold, GOAL_COLD)}")
    if rc:
        print(out)
    shutil.rmtree(clone / "_build" / "html")
    cached, rc, _ = run(cmd, clone)
    print(f"cached rebuild (HTML removed, execution cache kept):   {cached:6.1f} s  exit {rc}  "
          f"(goal <= {GOAL_CACHED} s) {ok(cached, GOAL_CACHED)}")


def notebook_times(root: Path) -> None:
    cache = root / "_build" / ".jupyter_cache"
    print(f"\nchapter notebooks (fresh kernel, nbclient), compared with the build's cached run ({cache}):")
    print(f"  {'chapter':<20} {'wall s':>7} {'CPU s':>6}  {'goal':>8}      determinism")
    for page in book.chapters(root):
        name = Path(page).name
        cpu0, t0 = children_cpu(), time.perf_counter()
        fresh = book.execute(page, root)
        wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
        limit = 120 if name.startswith(TRAINING_CHAPTERS) else 60
        try:
            diff = book.differences(book.cached(page, cache, root), fresh, page)
            same = "same printed numbers" if not diff else "DIFFERENT: " + "; ".join(diff)
        except (KeyError, OSError, ValueError) as e:
            same = f"not compared (no cached run: {type(e).__name__})"
        print(f"  {name:<20} {wall:7.1f} {cpu:6.1f}  <= {limit:3d} s {ok(wall, limit):>4}  {same}", flush=True)


def grading_times() -> None:
    from nncourse.grading import checks, grader, release
    from nncourse.grading.testing import make_submission

    print("\nreference solutions, graded through the sandbox (visible + hidden checks):")
    with tempfile.TemporaryDirectory() as tmp:
        for a in release.assignments():
            if not grader.release_path(a).is_file():
                print(f"  {a:<18} not released yet")
                continue
            nb = make_submission(a, Path(tmp) / f"{a}.ipynb")
            spec = checks.load(a)
            t0 = time.perf_counter()
            r = grader.grade_notebook(nb, spec, "reference")
            dt = time.perf_counter() - t0
            points = f"{r.score:g}/{r.max_score:g} points"
            full = "full marks" if r.score == r.max_score else "NOT FULL MARKS"
            print(f"  {a:<18} {points:<14} ({full})  wall {dt:6.2f} s  sandbox CPU {r.cpu_seconds:5.2f} s",
                  flush=True)


def measure_models() -> None:
    print("\nmodel benchmarks (each rewrites its rows of benchmarks/results/quality.json):")
    for script in MODEL_BENCHMARKS:
        if not (ROOT / script).exists():
            print(f"  {script}: does not exist yet")
            continue
        dt, rc, out = run([sys.executable, script, "--json", str(quality.RESULTS)], ROOT)
        print(f"  {script}: exit {rc}, {dt:.0f} s\n    " + "\n    ".join(out.strip().splitlines()[-6:]))


def quality_table() -> None:
    data = quality.read()
    print(f"\nquality of the course's models ({quality.RESULTS.relative_to(ROOT)}; the book's appendix):")
    print(f"  {'model':<27} {'chapter':<17} {'metric':<30} {'value':>7} {'train s':>8} {'CPU s':>7} "
          f"{'params':>9}  measured")
    for m, r in zip(quality.MODELS, quality.table(data)):
        if r["value"] is None:
            print(f"  {m.name:<27} {m.chapter:<17} {m.metric:<30} not measured yet: {m.benchmark} --json")
            continue
        print(f"  {m.name:<27} {m.chapter:<17} {m.metric:<30} {r['value']:>7} {r['train_seconds']:8.1f} "
              f"{r['cpu_seconds']:7.1f} {r['params']:>9,}  {r['machine']}")


def suite_time() -> None:
    """``make test``'s pytest command in a scratch clone of the committed tree, as
    CI runs it: no book build to reuse, so the suite builds the book itself.
    (This venv is reused; PYTHONPATH makes the clone's nncourse the one imported.)"""
    with tempfile.TemporaryDirectory() as tmp:
        clone = scratch_clone(Path(tmp))
        env = dict(os.environ, PYTHONPATH=str(clone))
        cmd = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q", "--durations=5"]
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=clone, capture_output=True, text=True, env=env, timeout=3600)
        dt = time.perf_counter() - t0
    lines = p.stdout.strip().splitlines()
    slowest = [ln for ln in lines if ln[:1].isdigit() and "s " in ln[:12]]
    print(f"\ntest suite (scratch clone, pytest -n 2 --dist loadgroup): {dt:6.1f} s  exit {p.returncode}  "
          f"(goal <= {GOAL_SUITE} s) {ok(dt, GOAL_SUITE)}\n  {lines[-1] if lines else p.stderr[-500:]}")
    for ln in slowest:
        print(f"    {ln}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--skip-build", action="store_true", help="no cold/cached build; run the chapters here")
    ap.add_argument("--skip-tests", action="store_true", help="do not time the test suite")
    ap.add_argument("--students", type=int, default=100, help="class size of the grading benchmark")
    ap.add_argument("--measure-models", action="store_true",
                    help="re-run the model benchmarks (rewrites benchmarks/results/quality.json)")
    a = ap.parse_args()
    print(f"machine: {machine_line()}; commit {subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = ROOT
        if not a.skip_build:
            root = scratch_clone(Path(tmp))
            book_times(root)
        notebook_times(root)
    grading_times()
    print("\nexercises (benchmarks/exercises.py):", flush=True)
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "exercises.py")], cwd=ROOT)
    print(f"\nclass grading (goal <= {GOAL_GRADE_CPU:g} s CPU per notebook):", flush=True)
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "grade_class.py"), "--students", str(a.students),
                    "--skip-nbgrader"], cwd=ROOT)
    if not a.skip_tests:
        suite_time()
    if a.measure_models:
        measure_models()
    quality_table()
    print(f"\nmachine at the end: {machine_line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
