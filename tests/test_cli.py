"""The documented student and instructor commands, run as a user would run them."""

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from nncourse import cli
from nncourse.grading import notebook as nbmod
from nncourse.grading import sandbox
from nncourse.grading.grader import ROOT, release_path, source_path
from nncourse.grading.testing import make_submission, read_scores, run_grade

pytestmark = pytest.mark.slow
NNCOURSE = str(Path(sys.executable).with_name("nncourse"))


def test_self_check_exit_status(tmp_path):
    blank = subprocess.run([NNCOURSE, "check", str(release_path("ch01_neuron"))], capture_output=True, text=True)
    assert blank.returncode == 1 and "self-check FAILED" in blank.stdout
    solved = make_submission("ch01_neuron", tmp_path / "ch01_neuron.ipynb")
    ok = subprocess.run([NNCOURSE, "check", str(solved)], capture_output=True, text=True)
    assert ok.returncode == 0 and "self-check PASSED" in ok.stdout, ok.stdout + ok.stderr
    assert "hidden" not in ok.stdout  # self-check runs the visible checks only
    missing = subprocess.run([NNCOURSE, "check", str(tmp_path / "nope.ipynb")], capture_output=True, text=True)
    assert missing.returncode == 2


def _points(assignment):
    """(autograded points, all points) of an assignment, from its source notebook."""
    layout = nbmod.Layout.of(nbmod.load_json_notebook(source_path(assignment))[0])
    auto = sum(layout.tests.values())
    return auto, auto + sum(layout.written.values())


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    work = tmp_path_factory.mktemp("class")
    subs = work / "submitted"
    make_submission("ch01_neuron", subs / "ada" / "ch01_neuron" / "ch01_neuron.ipynb")
    make_submission("ch01_neuron", subs / "bo" / "ch01_neuron" / "ch01_neuron.ipynb", blank=True)
    (subs / "ada" / "ch01_neuron" / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    proc, db, csv_path, report = run_grade("ch01_neuron", subs, work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return work, db, csv_path, report


def test_grade_writes_gradebook_and_nbgrader_csv(graded_class):
    work, db, csv_path, _ = graded_class
    scores = read_scores(db, "ch01_neuron")
    assert scores["ada"]["test_perceptron_train"] == 3 and scores["bo"]["test_perceptron_train"] == 0
    rows = {r["student_id"]: r for r in csv.DictReader(csv_path.open())}
    assert {"assignment", "student_id", "score", "max_score", "timestamp"} <= set(rows["ada"])
    auto, total = _points("ch01_neuron")  # ada's written answers await manual grading
    assert float(rows["ada"]["score"]) == auto and float(rows["ada"]["max_score"]) == total
    assert float(rows["bo"]["score"]) == 0.0
    assert rows["ada"]["timestamp"].startswith("2026-11-20")
    graded = work / "autograded" / "ada" / "ch01_neuron" / "ch01_neuron.ipynb"
    assert graded.exists()


def test_feedback_never_shows_hidden_tests(graded_class):
    work, db, _, _ = graded_class
    out = subprocess.run([NNCOURSE, "feedback", "ch01_neuron", "--db-url", db, "--autograded-dir",
                          str(work / "autograded"), "--feedback-dir", str(work / "feedback")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    html = (work / "feedback" / "bo" / "ch01_neuron" / "ch01_neuron.html").read_text()
    assert "hidden check" in html and "NotImplementedError" in html  # says which check failed and how
    for secret in ("BEGIN HIDDEN TESTS", "hidden=True", "perceptron_reference", "rng.uniform"):
        assert secret not in html


def test_export_command(graded_class, tmp_path):
    _, db, _, _ = graded_class
    out = tmp_path / "g.csv"
    assert cli.main(["export", "--to", str(out), "--db-url", db]) == 0
    rows = {r["student_id"]: r for r in csv.DictReader(out.open())}
    assert rows["ada"]["assignment"] == "ch01_neuron" and float(rows["ada"]["score"]) == _points("ch01_neuron")[0]


def test_grade_refuses_without_sandbox(tmp_path, monkeypatch, capsys):
    (tmp_path / "s" / "x" / "ch01_neuron").mkdir(parents=True)
    sandbox.bwrap_problem.cache_clear()
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    try:
        code = cli.main(["grade", "ch01_neuron", "--submissions", str(tmp_path / "s"),
                         "--db-url", f"sqlite:///{tmp_path}/g.db", "--csv", str(tmp_path / "g.csv")])
    finally:
        sandbox.bwrap_problem.cache_clear()
    err = capsys.readouterr().err
    assert code == 2 and "refusing to run student code" in err and "apt-get install bubblewrap" in err
    assert "--no-sandbox" in err and not (tmp_path / "g.csv").exists()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STUDENT_ASSIGNMENT = "ch04_backprop"
COURSE = "nn-from-the-neuron-up"   # CourseDirectory.course_id in nbgrader_config.py


class Lab:
    """A JupyterLab server for one student, spoken to over its REST API."""

    def __init__(self, home: Path, exchange: Path):
        self.port, self.token = _free_port(), "student-token"
        (home / "cfg").mkdir(parents=True)
        (home / "cfg" / "nbgrader_config.py").write_text(f"c.Exchange.root = {str(exchange)!r}\n")
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                   JUPYTER_CONFIG_DIR=str(home / "cfg"), HOME=str(home))
        self.work = home / "work"
        self.work.mkdir()
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", f"--port={self.port}",
             f"--ServerApp.token={self.token}", "--ServerApp.ip=127.0.0.1", "--allow-root"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=self.work)

    def call(self, path: str, method: str = "GET", body=None, timeout: float = 120):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
        return json.loads(text) if text.lstrip().startswith(("{", "[")) else text

    def wait(self, seconds: float = 180):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"JupyterLab exited with status {self.proc.returncode}"
            try:
                return self.call("api/status", timeout=5)
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"JupyterLab did not answer within {seconds} s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def test_student_flow_in_jupyterlab(tmp_path):
    """The instructor releases an exercise with nbgrader; a student's JupyterLab (nbgrader
    extension enabled) lists it, fetches it, saves a solution; the self-check command fails
    on the fetched exercise and passes on the solved one; the student submits."""
    a = STUDENT_ASSIGNMENT
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    release = subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "release_assignment", a,
                              f"--Exchange.root={exchange}", f"--CourseDirectory.db_url=sqlite:///{tmp_path}/gb.db"],
                             capture_output=True, text=True, cwd=ROOT)
    assert release.returncode == 0, release.stdout + release.stderr
    lab = Lab(tmp_path / "student", exchange)
    try:
        lab.wait()
        nbgrader_version = __import__("nbgrader").__version__
        extensions = {e["name"]: e for e in lab.call("lab/api/extensions")}   # "@jupyter/nbgrader"
        assert extensions["jupyter-nbgrader"]["enabled"], "the nbgrader lab extension is disabled"
        assert extensions["jupyter-nbgrader"]["installed_version"] == nbgrader_version
        assert "@jupyter/nbgrader" in lab.call("lab")   # and the page loads it
        assert lab.call(f"nbgrader_version?version={nbgrader_version}") == {"success": True}

        listed = lab.call(f"assignments?course_id={COURSE}")
        assert listed["success"], listed
        assert [(x["assignment_id"], x["status"]) for x in listed["value"]] == [(a, "released")]
        fetched = lab.call(f"assignments/fetch?course_id={COURSE}&assignment_id={a}", "POST", body={})
        assert [(x["assignment_id"], x["status"]) for x in fetched["value"]] == [(a, "fetched")]
        mine = lab.work / a / f"{a}.ipynb"
        assert mine.read_bytes() == release_path(a).read_bytes()

        unsolved = subprocess.run([NNCOURSE, "check", str(mine)], capture_output=True, text=True)
        assert unsolved.returncode == 1 and "self-check FAILED" in unsolved.stdout, unsolved.stdout

        # the student writes the answers and saves, through the server as JupyterLab does
        model = lab.call(f"api/contents/{a}/{a}.ipynb?content=1")
        solved = json.loads(make_submission(a, tmp_path / "reference" / f"{a}.ipynb").read_text())
        assert len(model["content"]["cells"]) == len(solved["cells"])
        for mine_cell, ref_cell in zip(model["content"]["cells"], solved["cells"]):
            mine_cell["source"] = "".join(ref_cell["source"])
        lab.call(f"api/contents/{a}/{a}.ipynb", "PUT",
                 body={"type": "notebook", "format": "json", "content": model["content"]})
        passed = subprocess.run([NNCOURSE, "check", str(mine)], capture_output=True, text=True)
        assert passed.returncode == 0 and "self-check PASSED" in passed.stdout, passed.stdout + passed.stderr

        submitted = lab.call(f"assignments/submit?course_id={COURSE}&assignment_id={a}", "POST", body={})
        assert submitted["success"] and submitted["value"][0]["status"] == "fetched", submitted
        inbound = list((exchange / COURSE / "inbound").glob(f"*+{a}+*/{a}.ipynb"))
        assert len(inbound) == 1 and inbound[0].read_bytes() == mine.read_bytes()
    finally:
        lab.stop()
