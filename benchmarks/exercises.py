"""The exercises, measured: points, what copying the chapter earns, grading CPU, experiment time.

    .venv/bin/python benchmarks/exercises.py [assignment ...] [--runs 3] [--skip-experiments]

One row per assignment:

- autograded points and manually graded points (written answers, the
  experiment's figure and its report) from the source notebook;
- what the copy-the-chapter submission earns (``nncourse.grading.copy_chapter``;
  goal <= 5% of the autograded points);
- CPU seconds to grade one notebook (the reference solution, visible and hidden
  checks: the grader's own CPU plus the sandbox's), median of ``--runs``
  (goal <= 1 s for the assignments without training);
- seconds of the reference experiment in the notebook (fresh kernel, after the
  reference answers; goal <= 60 s on 2 cores).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nncourse.grading import checks, copy_chapter, grader, release  # noqa: E402
from nncourse.grading import notebook as nbmod  # noqa: E402
from nncourse.grading.testing import make_submission, run_experiments  # noqa: E402

COPY_LIMIT, GRADE_CPU_GOAL, EXPERIMENT_GOAL = 0.05, 1.0, 60.0
TRAINING = ("ch05_training", "ch06_cnn", "ch07_rnn", "ch08_transformer", "ch09_gpu", "ch10_practice",
            "ch11_generative")


def grading_cpu(assignment: str, runs: int) -> float:
    """Median CPU seconds (grader process + sandbox) to grade the reference notebook."""
    spec = checks.load(assignment)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        nb = make_submission(assignment, Path(tmp) / f"{assignment}.ipynb")
        for _ in range(runs):
            t0 = time.process_time()
            r = grader.grade_notebook(nb, spec, "reference")
            out.append(time.process_time() - t0 + r.cpu_seconds)
            if r.score != r.max_score:
                print(f"  ! {assignment}: the reference scores {r.score:g}/{r.max_score:g}")
    return statistics.median(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("assignments", nargs="*")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-experiments", action="store_true")
    a = ap.parse_args()
    try:
        import torch
        torch.set_num_threads(1)  # as when grading a class
    except ImportError:
        pass
    print(f"  {'assignment':<18} {'auto':>5} {'manual':>6} {'copy earns':>15} {'grade CPU s':>12} "
          f"{'experiment s':>13}")
    for name in a.assignments or release.assignments():
        layout = nbmod.Layout.of(nbmod.load_json_notebook(grader.source_path(name))[0])
        auto, manual = sum(layout.tests.values()), sum(layout.written.values())
        with tempfile.TemporaryDirectory() as tmp:
            copy = copy_chapter.grade_copy(name, Path(tmp))
        cpu = grading_cpu(name, a.runs)
        if a.skip_experiments:
            exp = "-"
        else:
            ran = run_experiments(name)
            secs = sum(s for _, s in ran.values())
            exp = f"{secs:6.1f} {'OK' if secs <= EXPERIMENT_GOAL else 'OVER'}"
        goal_cpu = "" if name in TRAINING else (" OK" if cpu <= GRADE_CPU_GOAL else " OVER")
        copy_txt = f"{copy.total_earned:g} ({100 * copy.fraction:.1f}%)"
        print(f"  {name:<18} {auto:5g} {manual:6g} {copy_txt:>11} {'OK' if copy.fraction <= COPY_LIMIT else 'OVER'}"
              f" {cpu:9.2f}{goal_cpu:<3} {exp:>13}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
