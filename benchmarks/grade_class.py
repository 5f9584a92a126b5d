"""Grade a synthetic class with this grader and with plain `nbgrader autograde`.

    .venv/bin/python benchmarks/grade_class.py [--students 100] [--assignment ch01_neuron] [--skip-nbgrader]

Submissions cycle through the reference solution, the blank release and the
bug/correct variants of tests/variants/<assignment>/. Prints, for each
grader: whole-class wall time, and per notebook the CPU time (all processes)
and wall time; for ours also the sandbox's own per-notebook figures.
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

from nncourse.grading import checks, grader
from nncourse.grading.testing import load_variants, make_submission, run_grade

BIN = Path(sys.executable).parent


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def build_class(assignment: str, n: int, folder: Path) -> None:
    variants = load_variants(assignment)
    for i in range(n):
        student = f"s{i:03d}"
        dest = folder / student / assignment / f"{assignment}.ipynb"
        k = i % (len(variants) + 2)
        if k == 0:
            make_submission(assignment, dest)
        elif k == 1:
            make_submission(assignment, dest, blank=True)
        else:
            v = variants[k - 2]
            make_submission(assignment, dest, {v.task: v.source})


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100)
    ap.add_argument("--assignment", default="ch01_neuron")
    ap.add_argument("--skip-nbgrader", action="store_true")
    a = ap.parse_args()
    n, name = a.students, a.assignment
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subs = tmp / "submitted"
        build_class(name, n, subs)
        print(f"{n} submissions of {name}, {os.cpu_count()} cores\n")

        # 1. this grader, in-process: the sandbox's per-notebook figures
        spec = checks.load(name)
        t0, c0 = time.perf_counter(), time.process_time()
        results = grader.grade_class(name, subs)
        wall = time.perf_counter() - t0
        sb_wall = sum(r.wall_seconds for r in results) / n
        sb_cpu = sum(r.cpu_seconds for r in results) / n  # the sandbox's cgroup: every process in it
        cpu = (time.process_time() - c0) / n + sb_cpu
        print(f"nncourse grader (grading only, parallel): class wall {wall:6.1f} s | per notebook: "
              f"CPU {cpu:.2f} s (grader + sandbox), of which sandbox {sb_cpu:.2f} s; sandbox wall {sb_wall:.2f} s")

        # 2. the real command: grading + gradebook + graded notebooks + CSV
        work = tmp / "ours"
        work.mkdir()
        c0, t0 = children_cpu(), time.perf_counter()
        proc, *_ = run_grade(name, subs, work)
        wall = time.perf_counter() - t0
        cpu = children_cpu() - c0
        assert proc.returncode == 0, proc.stderr[-2000:]
        print(f"nncourse grade command (+ gradebook, CSV):   class wall {wall:6.1f} s | per notebook: "
              f"CPU {cpu / n:.2f} s, wall {wall / n:.2f} s")

        if a.skip_nbgrader:
            return 0
        # 3. plain nbgrader autograde on the same submissions (serial, in the student's kernel)
        course = tmp / "nbg"
        (course / "source").mkdir(parents=True)
        shutil.copytree(grader.ROOT / "solutions" / name, course / "source" / name)
        shutil.copytree(subs, course / "submitted")
        (course / "nbgrader_config.py").write_text("c = get_config()\n")
        env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
        db = f"--CourseDirectory.db_url=sqlite:///{course / 'gb.db'}"
        subprocess.run([str(BIN / "nbgrader"), "generate_assignment", name, "--force", db],
                       cwd=course, env=env, capture_output=True, check=True)
        c0, t0 = children_cpu(), time.perf_counter()
        r = subprocess.run([str(BIN / "nbgrader"), "autograde", name, db], cwd=course, env=env,
                           capture_output=True, text=True)
        wall = time.perf_counter() - t0
        cpu = children_cpu() - c0
        print(f"plain nbgrader autograde (serial):          class wall {wall:6.1f} s | per notebook: "
              f"CPU {cpu / n:.2f} s, wall {wall / n:.2f} s (exit {r.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
