"""Grade a synthetic class with this grader and with plain `nbgrader autograde`.

    .venv/bin/python benchmarks/grade_class.py [--students 100] [--assignment ch01_neuron] [--skip-nbgrader]
    .venv/bin/python benchmarks/grade_class.py --cluster [--students 100] [--assignment ch01_neuron]

Submissions cycle through the reference solution, the blank release and the
bug/correct variants of tests/variants/<assignment>/. Prints, for each
grader: whole-class wall time, and per notebook the CPU time (all processes)
and wall time; for ours also the sandbox's own per-notebook figures.

``--cluster``: grading only (no gradebook), locally (``grade_class``, one
thread per core) and on a Dask cluster started here (a TLS scheduler on
127.0.0.1, then 1 and 2 ``dask worker`` processes of one thread), in the same
run: submissions per second for each, and local grading once more at the end
(on a shared machine, the two local figures show how much the load moved).
Each worker grades two notebooks before the timed run (its imports), as local
grading loads the checks first.
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


def bench_cluster(name: str, n: int) -> int:
    from nncourse.grading import cluster
    from nncourse.grading.testing import DaskProcesses

    key = b"benchmark-key"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subs = tmp / "submitted"
        build_class(name, n, subs)
        found = grader.find_submissions(subs, name)[0]
        print(f"{n} submissions of {name}, {os.cpu_count()} cores; grading only (no gradebook)\n")
        checks.load(name)                              # imports, as a warm worker has done
        os.environ["NNCOURSE_GRADER_KEY"] = key.decode()

        def local(label: str) -> None:
            t0, c0 = time.perf_counter(), time.process_time()
            results = grader.grade_class(name, subs, found=found)
            wall = time.perf_counter() - t0
            cpu = (time.process_time() - c0) / n + sum(r.cpu_seconds for r in results) / n
            print(f"{label} (grade_class, {os.cpu_count()} threads): class wall {wall:6.1f} s, "
                  f"{n / wall:5.2f} submissions/s; CPU per notebook {cpu:.2f} s (grader + sandbox)", flush=True)

        local("local")
        cluster.make_certificates(tmp / "tls")
        sec = cluster.security(tmp / "tls")
        with DaskProcesses(tmp / "dask", tmp / "tls") as dp:
            dp.start_scheduler()
            for workers in (1, 2):
                dp.start_worker(f"w{workers}")
                cluster.grade_on_cluster(name, found[:2 * workers], dp.address, sec, key=key)   # warm-up
                t0 = time.perf_counter()
                run = cluster.grade_on_cluster(name, found, dp.address, sec, key=key)
                wall = time.perf_counter() - t0
                assert run.counts.done == n and not run.failed, run.failed
                sb = sum(r.cpu_seconds for r in run.results) / n
                print(f"cluster, {workers} worker{'s' if workers > 1 else ' '} (1 thread each): class wall "
                      f"{wall:6.1f} s, {n / wall:5.2f} submissions/s; sandbox CPU per notebook {sb:.2f} s",
                      flush=True)
        local("local again")                           # on a shared machine: did the load change?
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100)
    ap.add_argument("--assignment", default="ch01_neuron")
    ap.add_argument("--skip-nbgrader", action="store_true")
    ap.add_argument("--cluster", action="store_true", help="local grading next to a Dask cluster of 1 and 2 workers")
    a = ap.parse_args()
    n, name = a.students, a.assignment
    if a.cluster:
        return bench_cluster(name, n)
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
