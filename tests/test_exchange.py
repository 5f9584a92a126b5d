"""A term with one assignment, through nbgrader's own exchange, as an instructor and students run it.

Instructor: ``nbgrader db assignment add`` (due date), ``release_assignment``;
students: ``fetch_assignment``, ``submit``; instructor: ``collect``, the
course's ``nncourse grade``, manual scores, ``nncourse feedback``,
``release_feedback``; students: ``fetch_feedback``. Four students: ada (full
answers), bo (hands in the blank release), cy (full answers, after the due
date; the course's late policy is nbgrader's ``penalty_method = "zero"``), dee
(resubmits a changed written answer after it was scored by hand).

Every command runs with a PATH that does not hold the virtual environment (as
a user who did not activate it), and with the exchange, the gradebook and the
course's working folders in a temporary folder.
"""

import csv
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nncourse.grading import notebook as nbmod
from nncourse.grading.grader import ROOT, source_path
from nncourse.grading.testing import reference_answers

pytestmark = pytest.mark.slow
A = "ch01_neuron"
COURSE = "nn-from-the-neuron-up"
BIN = Path(sys.executable).parent


class Term:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.db = f"sqlite:///{tmp / 'gradebook.db'}"
        (tmp / "exchange").mkdir()
        (tmp / "jupyter").mkdir()
        (tmp / "jupyter" / "nbgrader_config.py").write_text(
            'c = get_config()\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "JUPYTER_CONFIG_DIR": str(tmp / "jupyter"),
                    "LANG": "C.UTF-8"}
        self.course = [f"--Exchange.root={tmp / 'exchange'}",
                       f"--CourseDirectory.submitted_directory={tmp / 'submitted'}",
                       f"--CourseDirectory.autograded_directory={tmp / 'autograded'}",
                       f"--CourseDirectory.feedback_directory={tmp / 'feedback'}"]

    def run(self, *cmd, cwd=ROOT, env=None):
        p = subprocess.run([str(BIN / cmd[0]), *cmd[1:]], cwd=cwd, capture_output=True, text=True,
                           env={**self.env, **(env or {})}, timeout=600)
        assert p.returncode == 0, f"{' '.join(cmd[:2])} failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
        return p

    def instructor(self, *cmd):
        """An nbgrader command in the course folder; the gradebook URL through the environment."""
        return self.run("nbgrader", *cmd, *self.course, env={"NNCOURSE_DB_URL": self.db})

    def student(self, name, *cmd):
        home = self.tmp / "home" / name
        home.mkdir(parents=True, exist_ok=True)
        return self.run("nbgrader", *cmd, f"--course={COURSE}", f"--Exchange.root={self.tmp / 'exchange'}",
                        f"--Exchange.cache={self.tmp / 'cache'}", f"--CourseDirectory.student_id={name}", cwd=home)

    def answer(self, name, code: dict, written: dict):
        path = self.tmp / "home" / name / A / f"{A}.ipynb"
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            gid = nbmod.nbgrader_meta(cell).get("grade_id")
            if gid in code:
                cell["source"] = code[gid]
            elif gid in written:
                cell["source"] = written[gid]
        path.write_text(json.dumps(nb))

    def grade(self):
        return self.run("nncourse", "grade", A, "--submissions", str(self.tmp / "submitted"), "--db-url", self.db,
                        "--csv", str(self.tmp / "grades.csv"), "--autograded-dir", str(self.tmp / "autograded"),
                        "--checks-csv", str(self.tmp / "checks.csv"))


def _utc(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    from nbgrader.api import Gradebook

    t = Term(tmp_path_factory.mktemp("term"))
    t.instructor("db", "assignment", "add", A, "--duedate=2099-01-01 00:00:00 UTC")
    t.instructor("release_assignment", A)
    layout = nbmod.Layout.of(json.loads(source_path(A).read_text()))
    code = reference_answers(A)
    written = {gid: f"My answer to {gid}." for gid in layout.written}
    for name in ("ada", "bo", "cy", "dee"):
        t.student(name, "fetch_assignment", A)
    t.answer("ada", code, written)
    t.answer("dee", code, written)
    for name in ("ada", "bo", "dee"):
        t.student(name, "submit", A)
    due = dt.datetime.now(dt.timezone.utc)
    t.instructor("db", "assignment", "add", A, f"--duedate={_utc(due)}")
    time.sleep(1.5)
    t.answer("cy", code, written)
    t.student("cy", "submit", A)                       # late
    t.instructor("collect", A)
    first = t.grade()
    # the instructor scores the written answers of ada and dee by hand
    with Gradebook(t.db) as gb:
        for name in ("ada", "dee"):
            for gid in layout.written:
                g = gb.find_grade(gid, A, A, name)
                g.manual_score, g.needs_manual_grade = layout.written[gid], False   # as formgrader does
        gb.db.commit()
    # dee asked for more time, and resubmits within the extension
    ext = t.run("nncourse", "extend", A, "dee", "--hours", "1", "--db-url", t.db)
    assert "dee: ch01_neuron is due" in ext.stdout and "+ 1 hours" in ext.stdout
    t.answer("dee", code, {gid: f"A better answer to {gid}." for gid in layout.written})
    t.student("dee", "submit", A)
    t.instructor("collect", "--update", A)
    second = t.grade()
    t.run("nncourse", "feedback", A, "--db-url", t.db, "--autograded-dir", str(t.tmp / "autograded"),
          "--feedback-dir", str(t.tmp / "feedback"))
    t.instructor("release_feedback", A)
    for name in ("ada", "bo", "cy", "dee"):
        t.student(name, "fetch_feedback", A)
    return t, layout, first, second


def _grades(t, layout):
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(t.db) as gb:
        assert gb.find_assignment(A).course_id == COURSE
        for name in ("ada", "bo", "cy", "dee"):
            sub = gb.find_submission(A, name)
            nb = gb.find_submission_notebook(A, A, name)
            out[name] = {"score": sub.score, "penalty": nb.late_submission_penalty or 0.0,
                         "late": sub.total_seconds_late,
                         "written": {gid: (gb.find_grade(gid, A, A, name).manual_score,
                                           gb.find_grade(gid, A, A, name).needs_manual_grade)
                                     for gid in layout.written}}
    return out


def test_scores_late_penalty_and_course(term):
    t, layout, _, _ = term
    auto, manual = sum(layout.tests.values()), sum(layout.written.values())
    g = _grades(t, layout)
    assert g["ada"]["score"] == auto + manual and g["ada"]["late"] == 0 and g["ada"]["penalty"] == 0
    assert g["bo"]["score"] == 0 and all(not need for _, need in g["bo"]["written"].values())  # nothing written
    assert g["cy"]["late"] > 0 and g["cy"]["penalty"] == g["cy"]["score"] == auto   # penalty "zero"
    assert g["dee"]["late"] == 0                                                        # the extension
    rows = {r["student_id"]: r for r in csv.DictReader((t.tmp / "grades.csv").open())}
    assert float(rows["cy"]["score"]) == 0.0 and float(rows["cy"]["late_submission_penalty"]) == auto
    assert float(rows["ada"]["score"]) == auto + manual


def test_resubmission_flags_changed_manual_answers_only(term):
    t, layout, _, _ = term
    g = _grades(t, layout)
    for gid, pts in layout.written.items():
        assert g["ada"]["written"][gid] == (pts, False)      # unchanged: the manual score stands
        assert g["dee"]["written"][gid] == (pts, True)       # changed: kept, and flagged for review
        assert g["cy"]["written"][gid] == (None, True)


def test_feedback_reaches_every_student(term):
    t, _, _, _ = term
    for name in ("ada", "bo", "cy", "dee"):
        got = list((t.tmp / "home" / name / A / "feedback").rglob(f"{A}.html"))
        assert got, f"{name} fetched no feedback"
        assert "hidden check" in got[0].read_text()
    assert (t.tmp / "autograded" / "ada" / A / "submission_secret.txt").is_file()


AUTOGRADE_BUTTON = """
import json, sys
from nbgrader.apps.api import NbGraderAPI
from nncourse.grading.gradebook import course_config   # loads nbgrader_config.py, as formgrader does
config = course_config()
tmp = sys.argv[1]
config.CourseDirectory.submitted_directory = tmp + "/submitted"
config.CourseDirectory.autograded_directory = tmp + "/autograded"
config.CourseDirectory.db_url = sys.argv[2]
print(json.dumps(NbGraderAPI(config=config).autograde("ch01_neuron", "cy")))
"""


def test_formgrader_autograde_runs_the_course_grader(term):
    """Formgrader's Autograde button calls NbGraderAPI.autograde: it must grade with the
    course's sandboxed grader (nbgrader's own failed and deleted the graded notebook)."""
    t, layout, _, _ = term
    graded = t.tmp / "autograded" / "cy" / A / f"{A}.ipynb"
    graded.unlink()
    p = t.run("python", "-c", AUTOGRADE_BUTTON, str(t.tmp), t.db)
    result = json.loads(p.stdout.strip().splitlines()[-1])
    assert result["success"], result
    assert "graded cy:" in result["log"] and graded.is_file()
    cy = _grades(t, layout)["cy"]
    assert cy["score"] == sum(layout.tests.values()) and cy["penalty"] == cy["score"]   # still late


def test_grade_summary_line(term):
    t, _, first, second = term
    for p in (first, second):
        assert f"graded 4 submissions of {A}" in p.stdout and f"gradebook: {t.db}" in p.stdout


def test_gradebook_url_never_printed_or_on_a_command_line(monkeypatch):
    from nncourse.grading import gradebook

    url = "postgresql://teacher:s3cret-pw@127.0.0.1:1/nncourse"
    assert "s3cret-pw" not in gradebook.shown_url(url) and "teacher" in gradebook.shown_url(url)
    seen = {}

    def fake_run(cmd, **kw):
        seen["cmd"], seen["env"] = cmd, kw.get("env", {})
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(gradebook.subprocess, "run", fake_run)
    gradebook.nbgrader("export", "--to=x.csv", db_url=url)
    assert not any("s3cret-pw" in a for a in seen["cmd"]) and seen["env"]["NNCOURSE_DB_URL"] == url


def test_an_unreachable_gradebook_fails_before_grading(tmp_path):
    subs = tmp_path / "s" / "ada" / A
    subs.mkdir(parents=True)
    url = "postgresql://teacher:s3cret-pw@127.0.0.1:1/nncourse"   # nothing listens on port 1
    p = subprocess.run([str(BIN / "nncourse"), "grade", A, "--submissions", str(tmp_path / "s"),
                        "--db-url", url, "--csv", str(tmp_path / "g.csv")], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 2 and "cannot open the gradebook postgresql://teacher:***@127.0.0.1:1/nncourse" in p.stderr
    assert "s3cret-pw" not in p.stdout + p.stderr and "Traceback" not in p.stderr
