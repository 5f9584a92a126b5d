"""What instructors ask for after grading: one student regraded, every check as CSV, a class
report, and an export that Canvas imports. A class of three: ada (the reference), bo (the
blank release) and cy (a known bug in sigmoid), graded with the real command."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from nncourse.grading import notebook as nbmod
from nncourse.grading.grader import source_path
from nncourse.grading.testing import load_variants, make_submission, read_scores, run_grade

pytestmark = pytest.mark.slow
A = "ch01_neuron"
NNCOURSE = str(Path(sys.executable).with_name("nncourse"))


def _layout():
    return nbmod.Layout.of(nbmod.load_json_notebook(source_path(A))[0])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    work = tmp_path_factory.mktemp("reports")
    subs = work / "submitted"
    bug = next(v for v in load_variants(A) if v.task == "sigmoid" and v.expect == "less")
    make_submission(A, subs / "ada" / A / f"{A}.ipynb")
    make_submission(A, subs / "bo" / A / f"{A}.ipynb", blank=True)
    make_submission(A, subs / "cy" / A / f"{A}.ipynb", {"sigmoid": bug.source})
    proc, db, _, _ = run_grade(A, subs, work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return work, subs, db


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_every_check_in_a_csv(graded):
    work, _, _ = graded
    rows = _rows(work / "checks.csv")
    layout = _layout()
    assert {r["student"] for r in rows} == {"ada", "bo", "cy"}
    assert {r["function"] for r in rows} == set(layout.code_answers)
    assert all(r["passed"] == "True" for r in rows if r["student"] == "ada")
    cy = [r for r in rows if r["student"] == "cy" and r["function"] == "sigmoid" and r["passed"] == "False"]
    assert cy and any(r["likely_bug"] for r in cy), "the feedback's diagnosis is not in the CSV"
    assert {r["hidden"] for r in rows} == {"True", "False"}


def test_class_report(graded, tmp_path):
    work, _, _ = graded
    p = subprocess.run([NNCOURSE, "report", A, "--checks", str(work / "checks.csv"), "--out", str(tmp_path)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    text = (tmp_path / "report.md").read_text()
    assert "3 students" in text and "| `sigmoid` |" in text
    assert (tmp_path / "scores.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    failed = text.split("most-failed checks")[1]
    sigmoid_rows = [ln for ln in failed.splitlines() if ln.startswith("| `sigmoid`")]
    assert sigmoid_rows and any(not ln.rstrip(" |").endswith("-") for ln in sigmoid_rows), failed
    missing = subprocess.run([NNCOURSE, "report", A, "--checks", str(tmp_path / "none.csv")],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "grade ch01_neuron first" in missing.stderr


def test_canvas_export(graded, tmp_path):
    _, _, db = graded
    out = tmp_path / "canvas.csv"
    p = subprocess.run([NNCOURSE, "export", "--format", "canvas", "--to", str(out), "--db-url", db],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A]
    layout = _layout()
    assert rows[1][0] == "Points Possible" and float(rows[1][5]) == sum(layout.tests.values()) + sum(
        layout.written.values())
    by_login = {r[3]: r for r in rows[2:]}
    assert float(by_login["ada"][5]) == sum(layout.tests.values()) and float(by_login["bo"][5]) == 0


def test_regrade_one_student(graded):
    work, subs, db = graded
    before = read_scores(db, A)
    make_submission(A, subs / "cy" / A / f"{A}.ipynb")          # cy's notebook, corrected
    proc, _, _, _ = run_grade(A, subs, work, "--student", "cy")
    assert proc.returncode == 0 and "graded 1 submissions" in proc.stdout, proc.stdout + proc.stderr
    after = read_scores(db, A)
    assert after["cy"]["test_sigmoid"] > before["cy"]["test_sigmoid"]
    assert after["ada"] == before["ada"] and after["bo"] == before["bo"]
    assert {r["student"] for r in _rows(work / "checks.csv")} == {"ada", "bo", "cy"}
    nobody, _, _, _ = run_grade(A, subs, work, "--student", "zed")
    assert nobody.returncode == 2 and "no submission of ch01_neuron for zed" in nobody.stderr
