"""Where grades go: nbgrader's gradebook, graded notebooks, CSV, feedback.

Scores land in nbgrader's own database (SQLite by default, any SQLAlchemy
URL such as PostgreSQL with ``--db-url``), so ``nbgrader export``,
formgrader (manual grading of written answers) and ``nbgrader
generate_feedback`` work as usual. Manual scores already entered are kept
when a submission is graded again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .grader import ROOT, SubmissionResult, source_path

DEFAULT_DB = f"sqlite:///{ROOT / 'gradebook.db'}"
AUTOGRADED = ROOT / "autograder" / "autograded"
FEEDBACK = ROOT / "autograder" / "feedback"


class GradebookError(RuntimeError):
    """The gradebook cannot take these grades (unreachable, or the assignment changed)."""


def shown_url(db_url: str) -> str:
    """``db_url`` safe to print: the password masked."""
    try:
        from sqlalchemy.engine import make_url
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL: show nothing of it
        return "<the database URL given>"


def course_config():
    """The nbgrader configuration, read as nbgrader's commands read it in the course
    folder: the ``nbgrader_config.py`` of Jupyter's config folders (system, then the
    user's ``~/.jupyter``), then the course's own, each overriding the one before."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(ROOT)]:
        if (Path(folder) / "nbgrader_config.py").is_file():
            config.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
    return config


def check(db_url: str) -> None:
    """Open the gradebook before any grading starts: a wrong URL, a missing driver or a
    server that refuses fails here, in one line, not after every submission is graded."""
    from nbgrader.api import Gradebook

    try:
        with Gradebook(db_url) as gb:
            gb.assignments  # noqa: B018 - one query
    except Exception as e:  # noqa: BLE001 - any driver's error becomes one message
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise GradebookError(f"cannot open the gradebook {shown_url(db_url)}: {type(e).__name__}: "
                             f"{first.replace(db_url, shown_url(db_url))}") from None


def _source_grade_cells(nb) -> dict[str, float]:
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"].get("points", 0))
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


def register_assignment(gb, assignment: str, db_url: str) -> list[str]:
    """Record the assignment's cells (from the instructor's notebook) in the gradebook.

    Once there are submissions, the cells are fixed: changed points are
    updated (every grade's maximum follows) and returned as warnings; added or
    removed graded cells are an error (grades already given would not match).
    """
    import nbformat
    from nbgrader.api import MissingEntry
    from nbgrader.preprocessors import SaveCells

    gb.update_or_create_assignment(assignment, course_id=gb.course_id)
    nb = nbformat.read(str(source_path(assignment)), as_version=4)
    try:
        nbrow = gb.find_notebook(assignment, assignment)
    except MissingEntry:
        nbrow = None
    if nbrow is None or not nbrow.submissions:
        SaveCells().preprocess(nb, {"nbgrader": {"db_url": db_url, "assignment": assignment, "notebook": assignment}})
        return []
    want = _source_grade_cells(nb)
    have = {c.name: c for c in nbrow.grade_cells}
    if set(want) != set(have):
        added, removed = sorted(set(want) - set(have)), sorted(set(have) - set(want))
        raise GradebookError(
            f"{assignment}: its graded cells changed after submissions were graded (added: {added or 'none'}, "
            f"removed: {removed or 'none'}); grade into a new gradebook (--db-url), or remove the "
            f"assignment's grades first (nbgrader db assignment remove {assignment} --force)")
    warnings = []
    for name, points in want.items():
        if have[name].max_score != points:
            warnings.append(f"{assignment}: {name} is now worth {points:g} points (was {have[name].max_score:g}); "
                            "every submission's maximum follows")
            have[name].max_score = points
    gb.db.commit()
    return warnings


def extend(assignment: str, student: str, db_url: str = DEFAULT_DB, hours: float = 0.0,
           days: float = 0.0) -> str:
    """Give ``student`` an extension on ``assignment`` (replacing any earlier one; 0 removes it).
    Late penalties are computed against the due date plus the extension when grading."""
    from nbgrader.api import Gradebook, MissingEntry

    if hours < 0 or days < 0:
        raise GradebookError("an extension cannot be negative")
    with Gradebook(db_url, course_id=course_config().CourseDirectory.course_id) as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            raise GradebookError(f"no assignment {assignment} in the gradebook {shown_url(db_url)}: set its due "
                                 f"date first (nbgrader db assignment add {assignment} --duedate=...)") from None
        if a.duedate is None:
            raise GradebookError(f"{assignment} has no due date: an extension would mean nothing")
        register_assignment(gb, assignment, db_url)    # its cells, so that grades can be made
        gb.update_or_create_student(student)
        try:
            gb.find_submission(assignment, student)
        except MissingEntry:   # not handed in yet: the extension needs a submission row to live on
            gb.add_submission(assignment, student)
        gb.grant_extension(assignment, student, hours=hours, days=days)
        total = days * 24 + hours
        return (f"{student}: {assignment} is due {a.duedate} UTC + {total:g} hours" if total
                else f"{student}: no extension on {assignment} (due {a.duedate} UTC)")


MAX_COPIED_BYTES = 20 * 2**20       # per file of a submission copied beside its graded notebook
MAX_COPIED_FILES = 500


def copy_submission_files(src: Path, dest: Path) -> None:
    """Copy the submission's other files (nbgrader's ``submission_secret.txt``,
    ``timestamp.txt``, anything the student handed in) beside the graded
    notebook, as ``nbgrader autograde`` does: ``nbgrader release_feedback``
    needs them. Regular files only (no links), within size limits."""
    copied = 0
    for folder, dirs, files in os.walk(src, followlinks=False):
        dirs[:] = [d for d in dirs if d != ".ipynb_checkpoints" and not (Path(folder) / d).is_symlink()]
        for name in files:
            f = Path(folder) / name
            if f.is_symlink() or not f.is_file() or f.stat().st_size > MAX_COPIED_BYTES:
                continue
            if copied >= MAX_COPIED_FILES:
                return
            target = dest / f.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
            copied += 1


def _previous_answers(path: Path, ids) -> dict[str, str]:
    """The manually graded answers of the graded notebook written last time (if any)."""
    from .notebook import cell_source, load_json_notebook, nbgrader_meta

    nb, _ = load_json_notebook(path) if path.is_file() else (None, None)
    out = {}
    for c in (nb or {}).get("cells", []):
        gid = nbgrader_meta(c).get("grade_id")
        if gid in ids:
            out[gid] = cell_source(c) or ""
    return out


def _late_penalty_plugin(config):
    """nbgrader's late-submission plugin, as the configuration ``config`` sets it up."""
    from nbgrader.preprocessors import AssignLatePenalties

    pre = AssignLatePenalties(config=config)
    pre.init_plugin()
    return pre


def save(results: list[SubmissionResult], assignment: str, db_url: str = DEFAULT_DB,
         autograded_dir: Path = AUTOGRADED) -> list[str]:
    """Write every result to the gradebook and its graded notebook to ``autograded_dir``.

    As ``nbgrader autograde`` does: late submissions get the penalty of the
    configured ``LateSubmissionPlugin`` (against the due date and any extension
    in the gradebook); a manual score is kept, and flagged for review when the
    answer it scored has changed (a resubmission). Returns warnings.
    """
    with Writer(assignment, db_url, autograded_dir) as w:
        w.add_students(r.student for r in results)
        for r in results:
            w.save(r)
    return w.warnings


class Writer:
    """The gradebook open for one assignment; :meth:`save` writes one submission in one
    transaction, then its graded notebook and files (what :func:`save` does for each
    result). ``nncourse grade --cluster`` saves each result as it comes back, so an
    interruption leaves whole submissions only."""

    def __init__(self, assignment: str, db_url: str = DEFAULT_DB, autograded_dir: Path = AUTOGRADED):
        self.assignment, self.db_url, self.autograded_dir = assignment, db_url, Path(autograded_dir)
        self.warnings: list[str] = []
        self.gb = None

    def __enter__(self) -> "Writer":
        from nbgrader.api import Gradebook

        config = course_config()
        self.late = _late_penalty_plugin(config)
        self.gb = Gradebook(self.db_url, course_id=config.CourseDirectory.course_id)
        try:
            self.warnings = register_assignment(self.gb, self.assignment, self.db_url)
        except BaseException:
            self.gb.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.gb.close()

    def add_students(self, students) -> None:
        """Add the students not in the gradebook yet, in this order, in one transaction."""
        from nbgrader.api import Student

        known = {s.id for s in self.gb.students}
        self.gb.db.add_all(Student(id=s) for s in dict.fromkeys(students) if s not in known)
        self.gb.db.commit()

    def save(self, r: SubmissionResult) -> None:
        """One submission: its grades in one transaction, then its graded notebook."""
        from nbgrader.api import MissingEntry

        gb, assignment = self.gb, self.assignment
        ts = r.timestamp  # validated when the submission was found
        try:
            sub = gb.find_submission(assignment, r.student)
            if ts:
                from nbgrader import utils
                sub.timestamp = utils.parse_utc(ts)
        except MissingEntry:
            sub = gb.add_submission(assignment, r.student, **({"timestamp": ts} if ts else {}))
        subnb = next(nb for nb in sub.notebooks if nb.name == assignment)
        grades = {g.name: g for g in subnb.grades}   # one query, not one per cell
        out = self.autograded_dir / r.student / assignment
        before = _previous_answers(out / f"{assignment}.ipynb", r.written_ids)
        for tr in r.tasks.values():
            g = grades[tr.test_id]
            g.auto_score = tr.score
            g.needs_manual_grade = g.manual_score is not None  # an override: review it
        for gid in r.written_ids:
            g = grades[gid]
            g.auto_score = None
            if gid not in r.written:  # nothing to read: zero (review an old manual score)
                g.auto_score, g.needs_manual_grade = 0.0, g.manual_score is not None
            elif g.manual_score is None or before.get(gid) != r.written[gid]:
                g.needs_manual_grade = True  # new, or a resubmission changed what was scored
        subnb.late_submission_penalty = None
        seconds_late = sub.total_seconds_late
        if seconds_late > 0:
            gb.db.flush()
            gb.db.expire(subnb)       # its score is computed by the database from the grades
            penalty = self.late.plugin_inst.late_submission_penalty(r.student, subnb.score, seconds_late)
            if penalty is not None:
                subnb.late_submission_penalty = min(max(float(penalty), 0.0), subnb.score)
        gb.db.commit()                # one transaction per submission
        out.mkdir(parents=True, exist_ok=True)
        if r.folder is not None and r.folder.is_dir():
            copy_submission_files(r.folder, out)
        if r.graded_nb is not None:
            (out / f"{assignment}.ipynb").write_text(json.dumps(r.graded_nb, indent=1))
        if ts:
            (out / "timestamp.txt").write_text(ts)


def already_graded(assignment: str, found, db_url: str = DEFAULT_DB,
                   autograded_dir: Path = AUTOGRADED) -> set[str]:
    """The students of ``found`` (:class:`~.grader.Submission`) whose submission is in the
    gradebook whole: the same timestamp, every autograded cell scored, and its graded
    notebook written. ``nncourse grade --cluster`` grades only the others (resume)."""
    from nbgrader import utils
    from nbgrader.api import Gradebook, MissingEntry

    from .notebook import Layout, load_json_notebook

    source, err = load_json_notebook(source_path(assignment))
    if source is None:
        raise RuntimeError(f"instructor's notebook unreadable: {err}")
    tests = set(Layout.of(source).tests)
    done: set[str] = set()
    with Gradebook(db_url) as gb:
        try:
            subs = {s.student.id: s for s in gb.find_assignment(assignment).submissions}
        except MissingEntry:
            return done
        for f in found:
            sub = subs.get(f.student)
            if sub is None:
                continue
            want = utils.parse_utc(f.timestamp) if f.timestamp else None
            if want is not None and sub.timestamp != want.replace(tzinfo=None):
                continue
            nb = next((n for n in sub.notebooks if n.name == assignment), None)
            scored = {g.name for g in nb.grades if g.auto_score is not None} if nb is not None else set()
            graded_nb = Path(autograded_dir) / f.student / assignment / f"{assignment}.ipynb"
            if tests <= scored and graded_nb.is_file():
                done.add(f.student)
    return done


def nbgrader(*args: str, db_url: str = DEFAULT_DB) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course root with our configuration."""
    exe = Path(sys.executable).with_name("nbgrader")
    cmd = [str(exe) if exe.exists() else "nbgrader", *args]
    # the URL (it may hold a password) goes through the environment, never the command line,
    # which every user sees in `ps`; nbgrader_config.py reads it
    env = dict(os.environ, NNCOURSE_DB_URL=db_url)
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)


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
