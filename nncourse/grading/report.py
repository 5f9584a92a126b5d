"""What instructors ask for after grading: every check as CSV, a class report, an LMS export.

- :func:`write_checks_csv`: one row per student, function and check (passed,
  hidden or not, the failure message and the bug it names), written by
  ``nncourse grade`` beside the gradebook;
- :func:`class_report`: from that CSV, a Markdown report with a figure: the
  score distribution per function, and the most-failed checks with the bug the
  feedback most often named (``nncourse report <assignment>``);
- :func:`canvas_csv`: the gradebook as a Canvas gradebook import file
  (``nncourse export --format canvas``).
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

from .grader import ROOT, SubmissionResult

REPORTS = ROOT / "autograder" / "reports"
CHECK_COLUMNS = ["assignment", "student", "function", "points", "score", "check", "hidden", "passed",
                 "likely_bug", "message"]
_BUG = re.compile(r"; this is what happens when (.+)$")


def likely_bug(message: str) -> str:
    """The bug a failure message names ("" if none)."""
    m = _BUG.search(message or "")
    return m.group(1) if m else ""


def write_checks_csv(results: list[SubmissionResult], path: Path, keep_others: bool = False) -> Path:
    """Every check of every graded submission, one row each (see :data:`CHECK_COLUMNS`).
    With ``keep_others`` (one student graded again), the other students' rows stay."""
    path.parent.mkdir(parents=True, exist_ok=True)
    graded = {r.student for r in results}
    kept = [r for r in read_checks(path) if r["student"] not in graded] if keep_others and path.is_file() else []
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(CHECK_COLUMNS)
        w.writerows([r[c] for c in CHECK_COLUMNS] for r in kept)
        for r in sorted(results, key=lambda r: r.student):
            for t in r.tasks.values():
                rows = t.checks or [None]
                for c in rows:
                    if c is None:  # no check ran: not credited, missing, ...
                        w.writerow([r.assignment, r.student, t.task, t.points, t.score, t.note or "no answer",
                                    False, False, "", t.note])
                        continue
                    w.writerow([r.assignment, r.student, t.task, t.points, t.score, c.label, c.hidden, c.passed,
                                likely_bug(c.message), c.message])
    return path


def read_checks(path: Path) -> list[dict]:
    with Path(path).open(newline="") as f:
        return list(csv.DictReader(f))


def class_report(checks_csv: Path, out_dir: Path, most: int = 10) -> Path:
    """Write ``report.md`` and ``scores.png`` under ``out_dir``; return the report's path."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = read_checks(checks_csv)
    if not rows:
        raise ValueError(f"{checks_csv} holds no graded checks")
    assignment = rows[0]["assignment"]
    scores: dict[str, dict[str, float]] = defaultdict(dict)      # function -> student -> fraction
    points: dict[str, float] = {}
    for r in rows:
        pts = float(r["points"])
        points[r["function"]] = pts
        scores[r["function"]][r["student"]] = float(r["score"]) / pts if pts else 0.0
    students = sorted({r["student"] for r in rows})
    failed: Counter = Counter()
    tried: Counter = Counter()
    bugs: dict[tuple, Counter] = defaultdict(Counter)
    for r in rows:
        key = (r["function"], r["check"], r["hidden"] == "True")
        tried[key] += 1
        if r["passed"] != "True":
            failed[key] += 1
            if r["likely_bug"]:
                bugs[key][r["likely_bug"]] += 1
    functions = list(points)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(max(6, 0.8 * len(functions) + 2), 3.6))
    ax.boxplot([[100 * v for v in scores[f].values()] for f in functions], showmeans=True)
    ax.set_xticks(range(1, len(functions) + 1), functions, rotation=30, ha="right")
    ax.set_ylabel("score (% of the function's points)")
    ax.set_ylim(-5, 105)
    ax.set_title(f"{assignment}: scores per function, {len(students)} students")
    fig.tight_layout()
    fig.savefig(out_dir / "scores.png", dpi=110)
    plt.close(fig)
    total = {s: sum(scores[f].get(s, 0.0) * points[f] for f in functions) for s in students}
    lines = [f"# {assignment}: class report", "",
             f"{len(students)} students; autograded points: median {sorted(total.values())[len(total) // 2]:g} "
             f"of {sum(points.values()):g}.", "", "![scores per function](scores.png)", "",
             "## Per function", "", "| function | points | mean | full marks | zero |", "|---|---:|---:|---:|---:|"]
    for f in functions:
        v = list(scores[f].values())
        lines.append(f"| `{f}` | {points[f]:g} | {100 * sum(v) / len(v):.0f}% | "
                     f"{sum(x >= 1 for x in v)}/{len(v)} | {sum(x == 0 for x in v)}/{len(v)} |")
    lines += ["", f"## The {most} most-failed checks", "",
              "| function | check | failed | the bug the feedback named most often |", "|---|---|---:|---|"]
    for key, n in failed.most_common(most):
        f, label, hidden = key
        bug = bugs[key].most_common(1)
        bug_txt = f"{bug[0][0]} ({bug[0][1]}x)" if bug else "-"
        kind = "hidden: " if hidden else ""
        lines.append(f"| `{f}` | {kind}{label} | {n}/{tried[key]} | {bug_txt} |")
    path = out_dir / "report.md"
    path.write_text("\n".join(lines) + "\n")
    return path


CANVAS_HEAD = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def canvas_csv(db_url: str, to: Path) -> Path:
    """The gradebook as Canvas's gradebook import CSV: a column per assignment (its score
    after late penalties), a "Points Possible" row, students matched by SIS Login ID
    (the nbgrader student id)."""
    from nbgrader.api import Gradebook

    to = Path(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    with Gradebook(db_url) as gb:
        assignments = sorted(gb.assignments, key=lambda a: (a.duedate is None, a.duedate, a.name))
        names = [a.name for a in assignments]
        rows = []
        for st in sorted(gb.students, key=lambda s: s.id):
            name = ", ".join(x for x in (st.last_name, st.first_name) if x) or st.id
            row = [name, "", "", st.id, ""]
            for a in assignments:
                try:
                    sub = gb.find_submission(a.name, st.id)
                except Exception:  # noqa: BLE001 - MissingEntry: nothing handed in
                    row.append("")
                    continue
                row.append(f"{max(sub.score - (sub.late_submission_penalty or 0.0), 0.0):g}")
            rows.append(row)
        possible = ["Points Possible", "", "", "", ""] + [f"{a.max_score:g}" for a in assignments]
    with to.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(CANVAS_HEAD + names)
        w.writerow(possible)
        w.writerows(rows)
    return to
