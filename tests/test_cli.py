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
from nncourse.grading import sandbox
from nncourse.grading.grader import ROOT, release_path
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
    assert float(rows["ada"]["score"]) == 8.0 and float(rows["ada"]["max_score"]) == 10.0
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
    assert rows["ada"]["assignment"] == "ch01_neuron" and float(rows["ada"]["score"]) == 8.0


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


def test_jupyterlab_starts_with_nbgrader(tmp_path):
    port = _free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"))
    lab = subprocess.Popen([str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser",
                            f"--port={port}", "--ServerApp.token=t", "--ServerApp.ip=127.0.0.1",
                            f"--ServerApp.root_dir={ROOT / 'exercises'}", "--allow-root"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    try:
        page = None
        for _ in range(120):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token=t", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert page is not None, "JupyterLab did not start"
        assert "@jupyter/nbgrader" in page  # the nbgrader lab extension is enabled
        listing = urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/ch01_neuron?token=t").read()
        assert "ch01_neuron.ipynb" in json.loads(listing)["content"][0]["name"]
    finally:
        lab.terminate()
        lab.wait(timeout=20)
