"""Where grades go: nbgrader's gradebook, graded notebooks, CSV, feedback.

Scores land in nbgrader's own database (SQLite by default, any SQLAlchemy
URL such as PostgreSQL with ``--db-url``), so ``nbgrader export``,
formgrader (manual grading of written answers) and ``nbgrader
generate_feedback`` work as usual. Manual scores already entered are kept
when a submission is graded again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .grader import ROOT, SubmissionResult, source_path

DEFAULT_DB = f"sqlite:///{ROOT / 'gradebook.db'}"
AUTOGRADED = ROOT / "autograder" / "autograded"
FEEDBACK = ROOT / "autograder" / "feedback"


def register_assignment(gb, assignment: str, db_url: str) -> None:
    """Record the assignment's cells (from the instructor's notebook) in the gradebook."""
    import nbformat
    from nbgrader.api import MissingEntry
    from nbgrader.preprocessors import SaveCells

    gb.update_or_create_assignment(assignment)
    try:
        nbrow = gb.find_notebook(assignment, assignment)
        if nbrow.submissions:
            return  # cells are fixed once there are submissions
    except MissingEntry:
        pass
    nb = nbformat.read(str(source_path(assignment)), as_version=4)
    SaveCells().preprocess(nb, {"nbgrader": {"db_url": db_url, "assignment": assignment, "notebook": assignment}})


def save(results: list[SubmissionResult], assignment: str, db_url: str = DEFAULT_DB,
         autograded_dir: Path = AUTOGRADED) -> None:
    """Write every result to the gradebook and its graded notebook to ``autograded_dir``."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        register_assignment(gb, assignment, db_url)
        for r in results:
            gb.update_or_create_student(r.student)
            ts = r.timestamp  # validated when the submission was found
            try:
                sub = gb.find_submission(assignment, r.student)
                if ts:
                    from nbgrader import utils
                    sub.timestamp = utils.parse_utc(ts)
            except MissingEntry:
                kw = {"timestamp": ts} if ts else {}
                gb.add_submission(assignment, r.student, **kw)
            for tr in r.tasks.values():
                g = gb.find_grade(tr.test_id, assignment, assignment, r.student)
                g.auto_score = tr.score
                g.needs_manual_grade = False
            for gid in r.written_ids:
                g = gb.find_grade(gid, assignment, assignment, r.student)
                g.auto_score = None
                if gid not in r.written:  # nothing to read: zero, no manual grading needed
                    g.auto_score, g.needs_manual_grade = 0.0, False
                elif g.manual_score is None:
                    g.needs_manual_grade = True
            gb.db.commit()
            out = autograded_dir / r.student / assignment
            out.mkdir(parents=True, exist_ok=True)
            if r.graded_nb is not None:
                (out / f"{assignment}.ipynb").write_text(json.dumps(r.graded_nb, indent=1))
            if ts:
                (out / "timestamp.txt").write_text(ts)


def nbgrader(*args: str, db_url: str = DEFAULT_DB) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course root with our configuration."""
    exe = Path(sys.executable).with_name("nbgrader")
    cmd = [str(exe) if exe.exists() else "nbgrader", *args, f"--CourseDirectory.db_url={db_url}"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


def export_csv(to: Path, db_url: str = DEFAULT_DB) -> Path:
    """``nbgrader export`` (columns: assignment, duedate, timestamp, student_id, ..., score, max_score)."""
    to = Path(to).resolve()
    to.parent.mkdir(parents=True, exist_ok=True)
    r = nbgrader("export", f"--to={to}", db_url=db_url)
    if r.returncode != 0 or not to.exists():
        raise RuntimeError(f"nbgrader export failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return to


def feedback(assignment: str, db_url: str = DEFAULT_DB, autograded_dir: Path = AUTOGRADED,
             feedback_dir: Path = FEEDBACK) -> Path:
    """``nbgrader generate_feedback``: HTML per student, from the graded notebooks."""
    r = nbgrader("generate_feedback", assignment, "--force",
                 f"--CourseDirectory.autograded_directory={Path(autograded_dir).resolve()}",
                 f"--CourseDirectory.feedback_directory={Path(feedback_dir).resolve()}", db_url=db_url)
    if r.returncode != 0:
        raise RuntimeError(f"nbgrader generate_feedback failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return Path(feedback_dir)
