"""Grading on a Dask cluster (``nncourse grade --cluster``), with real processes.

The module starts a ``dask scheduler`` on 127.0.0.1 with TLS (a CA and a
certificate made by ``make_certificates`` in a temporary folder) and two
``dask worker`` processes (one thread each, the course root as working
folder, the virtual environment's executables). The workers are given a
*different* grader key in their environment: grading there must use the key
the instructor's command sends, or every hidden check would differ.

Two classes of 30: ``ch01_neuron`` (NumPy: correct, buggy, blank, missing,
invalid, renamed notebooks, one that kills its sandbox, one slow one) and
``ch08_transformer`` (the cheapest to grade with a PyTorch answer),
graded locally and on the cluster into separate gradebooks, which must hold
the same grades, graded notebooks, checks and CSV (and feedback for ch08).
Then: an interrupted run and its resumption (only the missing ones are
graded), a worker killed with SIGKILL mid-run (nothing lost, no duplicate
row, the retry counted), a worker without bubblewrap (the command refuses
before any task), a ``tcp://`` address (refused without the flag). Every
process is stopped by the module, and the last test checks that none is left.
"""

import csv
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from nncourse.grading import checks, cluster, grader, sandbox
from nncourse.grading.testing import DaskProcesses, load_variants, make_submission, reference_answers, read_scores

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
KEY = "the-instructors-key-for-the-cluster-tests"
N = 30
TORCH = "ch08_transformer"
SLOW = "s07"           # its answer sleeps 5 s: the kill test kills the worker grading it
NEEDS_OPENSSL = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
NEEDS_BWRAP = pytest.mark.skipif(sandbox.bwrap_problem() is not None or shutil.which("openssl") is None,
                                 reason="needs bubblewrap and openssl")


# ---------------------------------------------------------------- the two classes
def _ch01_class(folder: Path) -> None:
    a = "ch01_neuron"
    variants = load_variants(a)
    ref = reference_answers(a)
    for i in range(N):
        s = f"s{i:02d}"
        adir = folder / s / a
        dest = adir / f"{a}.ipynb"
        k = i % 10
        if s == SLOW:
            make_submission(a, dest, {"sigmoid": "import time as _t\n_t.sleep(5)\n" + ref["sigmoid"]})
        elif k == 0:
            make_submission(a, dest)
        elif k == 1:
            make_submission(a, dest, blank=True)
        elif k == 2:
            adir.mkdir(parents=True)                                   # nothing handed in
        elif k == 3:
            adir.mkdir(parents=True)
            dest.write_text('{"cells": [')                             # invalid JSON
        elif k == 4:
            make_submission(a, adir / "my copy.ipynb", {"relu": variants[i].source})   # renamed
        elif k == 5:                                                   # kills its own sandbox
            make_submission(a, dest, {"sigmoid": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"})
        else:
            v = variants[(3 * i) % len(variants)]
            make_submission(a, dest, {v.task: v.source})
        if i % 2 == 0 and adir.is_dir():
            (adir / "timestamp.txt").write_text(f"2027-01-{1 + i % 28:02d} 10:00:00.000000 UTC")


def _torch_class(folder: Path) -> None:
    """ch08_transformer: the cheapest assignment with a PyTorch answer to grade (3.0 s of
    CPU per notebook against 4.0 for ch09_gpu, benchmarks/exercises.py), in both of its
    sandboxes (NumPy answers, and the PyTorch TransformerBlock). Half of the class hands
    in nothing or invalid JSON, to keep the module's time down."""
    a = TORCH
    variants = load_variants(a)
    block = [v for v in variants if v.task == "TransformerBlock"]
    others = [v for v in variants if v.task != "TransformerBlock"]
    for i in range(N):
        adir = folder / f"t{i:02d}" / a
        dest = adir / f"{a}.ipynb"
        k = i % 6
        if k == 0:
            make_submission(a, dest)
        elif k in (1, 5):
            adir.mkdir(parents=True)
        elif k == 2:
            v = block[(i // 6) % len(block)]
            make_submission(a, dest, {v.task: v.source})
        elif k == 3:
            adir.mkdir(parents=True)
            dest.write_text("not a notebook")
        elif i % 12 == 4:
            make_submission(a, dest, blank=True)
        else:
            v = others[(5 * i) % len(others)]
            make_submission(a, dest, {v.task: v.source})
        if i % 3 == 0 and adir.is_dir():
            (adir / "timestamp.txt").write_text(f"2027-02-{1 + i % 28:02d} 09:30:00.000000 UTC")


def _grade_args(a: str, subs: Path, work: Path, *extra: str) -> list[str]:
    return [str(BIN / "nncourse"), "grade", a, "--submissions", str(subs), "--db-url",
            f"sqlite:///{work / 'gradebook.db'}", "--csv", str(work / "grades.csv"), "--autograded-dir",
            str(work / "autograded"), "--checks-csv", str(work / "checks.csv"), "--verbose", *extra]


def _env() -> dict:
    import os

    return {**os.environ, "NNCOURSE_GRADER_KEY": KEY}


def grade(a: str, subs: Path, work: Path, *extra: str, timeout: float = 600) -> subprocess.CompletedProcess:
    work.mkdir(parents=True, exist_ok=True)
    return subprocess.run(_grade_args(a, subs, work, *extra), capture_output=True, text=True, timeout=timeout,
                          env=_env(), cwd=grader.ROOT)


def state(a: str, work: Path) -> dict:
    """What a grading leaves behind, for comparison: scores, graded notebooks and copied
    files, every check (as a set of rows: a resumed run appends), the CSV."""
    with (work / "checks.csv").open(newline="") as f:
        checks = sorted(tuple(r) for r in csv.reader(f))
    files = {p.relative_to(work / "autograded").as_posix(): p.read_bytes()
             for p in sorted((work / "autograded").rglob("*")) if p.is_file()}
    return {"scores": read_scores(f"sqlite:///{work / 'gradebook.db'}", a), "checks": checks, "files": files,
            "csv": (work / "grades.csv").read_text()}


def assert_same(a: str, local: Path, remote: Path) -> None:
    want, got = state(a, local), state(a, remote)
    assert got["scores"] == want["scores"]
    assert sorted(got["files"]) == sorted(want["files"])
    for name in want["files"]:
        assert got["files"][name] == want["files"][name], name
    assert got["checks"] == want["checks"]
    assert got["csv"] == want["csv"]


def no_duplicates(work: Path) -> int:
    """Submissions in the gradebook (and none twice, nor any grade twice)."""
    db = sqlite3.connect(work / "gradebook.db")
    try:
        assert db.execute("select student_id, assignment_id, count(*) from submitted_assignment "
                          "group by student_id, assignment_id having count(*) > 1").fetchall() == []
        assert db.execute("select notebook_id, cell_id, count(*) from grade group by notebook_id, cell_id "
                          "having count(*) > 1").fetchall() == []
        return db.execute("select count(*) from submitted_assignment").fetchone()[0]
    finally:
        db.close()


# ---------------------------------------------------------------- fixtures
def _graded_locally(tmp: Path, a: str, build) -> tuple[Path, Path]:
    subs = tmp / "submitted"
    build(subs)
    local = tmp / "local"
    p = grade(a, subs, local)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return subs, local


@pytest.fixture(scope="module")
def numpy_class(tmp_path_factory):
    """ch01_neuron's class and its local grading (the reference for every comparison)."""
    return _graded_locally(tmp_path_factory.mktemp("ch01"), "ch01_neuron", _ch01_class)


@pytest.fixture(scope="module")
def torch_class(tmp_path_factory):
    return _graded_locally(tmp_path_factory.mktemp("torch"), TORCH, _torch_class)


@pytest.fixture(scope="module")
def procs(tmp_path_factory):
    """A TLS scheduler and two workers; all stopped at the end of the module."""
    tmp = tmp_path_factory.mktemp("cluster")
    tls = tmp / "tls"
    cluster.make_certificates(tls)
    dp = DaskProcesses(tmp / "logs", tls)
    try:
        dp.start_scheduler()
        for name in ("w1", "w2"):
            dp.start_worker(name, env={"NNCOURSE_GRADER_KEY": "not-the-instructors-key"}, wait=False)
        for name in ("w1", "w2"):
            dp.wait_registered(name)
        yield dp
    finally:
        dp.stop()


def need_workers(dp: DaskProcesses, n: int) -> None:
    """At least ``n`` good workers (a test that killed one leaves fewer)."""
    good = [w for w in dp.alive_workers() if w != "nobwrap"]
    for _ in range(n - len(good)):
        dp.start_worker(f"w{len(dp.workers) + 1}", env={"NNCOURSE_GRADER_KEY": "not-the-instructors-key"})


def on_cluster(dp: DaskProcesses) -> tuple[str, ...]:
    return ("--cluster", dp.address, "--tls-dir", str(dp.tls))


# ---------------------------------------------------------------- without a cluster
def test_addresses():
    assert cluster.check_address("tls://10.0.0.5:8786") == "tls://10.0.0.5:8786"
    assert cluster.check_address("TLS://sched:8786") == "tls://sched:8786"
    for plain in ("tcp://10.0.0.5:8786", "10.0.0.5:8786"):
        with pytest.raises(cluster.ClusterError, match="--insecure-cluster"):
            cluster.check_address(plain)
        assert cluster.check_address(plain, insecure=True) == "tcp://10.0.0.5:8786"
    gw = "gateway://hub.example.org:443/3f2a9c"
    assert cluster.check_address(gw) == gw                      # Dask Gateway: always TLS
    for bad in ("ws://sched:8786", "inproc://x", "", "tls://", "gateway://hub.example.org:443"):
        with pytest.raises(cluster.ClusterError):
            cluster.check_address(bad, insecure=True)


def test_tcp_refused_by_the_command_without_the_flag(tmp_path):
    subs = tmp_path / "submitted"
    make_submission("ch01_neuron", subs / "ada" / "ch01_neuron" / "ch01_neuron.ipynb")
    p = grade("ch01_neuron", subs, tmp_path / "work", "--cluster", "tcp://127.0.0.1:9")
    assert p.returncode == 2
    err = p.stderr.strip().splitlines()
    assert len(err) == 1 and "refusing 'tcp://127.0.0.1:9'" in err[0] and "--insecure-cluster" in err[0]
    assert not (tmp_path / "work" / "gradebook.db").exists()       # nothing opened, nothing graded
    p = grade("ch01_neuron", subs, tmp_path / "work", "--force")
    assert p.returncode == 2 and "--force applies to --cluster only" in p.stderr


@NEEDS_OPENSSL
def test_certificates(tmp_path):
    files = cluster.make_certificates(tmp_path / "tls", hosts=("127.0.0.1", "localhost", "grader.example.org"))
    assert sorted(p.name for p in (tmp_path / "tls").iterdir()) == ["ca.pem", "cert.pem", "key.pem"]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in files.values())
    assert (tmp_path / "tls").stat().st_mode & 0o777 == 0o700
    ok = subprocess.run(["openssl", "verify", "-CAfile", str(files["ca"]), str(files["cert"])],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    text = subprocess.run(["openssl", "x509", "-in", str(files["cert"]), "-noout", "-text"],
                          capture_output=True, text=True).stdout
    assert "IP Address:127.0.0.1" in text and "DNS:localhost" in text and "DNS:grader.example.org" in text
    sec = cluster.security(tmp_path / "tls")
    assert sec.require_encryption and sec.tls_client_cert == str(files["cert"])
    with pytest.raises(cluster.ClusterError, match="not empty"):
        cluster.make_certificates(tmp_path / "tls")
    with pytest.raises(cluster.ClusterError, match="nncourse cluster-certs"):
        cluster.security(tmp_path / "none")


def test_result_round_trip(tmp_path):
    a = "ch01_neuron"
    v = next(v for v in load_variants(a) if v.expect == "less")
    nb = make_submission(a, tmp_path / "my copy.ipynb", {v.task: v.source})
    r = grader.grade_notebook(nb, checks.load(a), "ada", key=b"k", pre_messages=("the notebook was renamed",))
    r.timestamp, r.folder = "2027-01-01 10:00:00.000000 UTC", tmp_path
    r.messages.append("odd text: \u00e9\u2713 \ud800 \x00")
    assert r.graded_nb is not None and any(not c.passed for t in r.tasks.values() for c in t.checks)
    text = cluster.encode_result(r)
    assert cluster.decode_result(text) == r
    assert json.loads(text)["graded_nb"] == r.graded_nb                 # plain JSON, not pickle
    bad = json.loads(text)
    bad["tasks"][0]["score"] = "10"
    with pytest.raises(ValueError, match="score"):
        cluster.decode_result(json.dumps(bad))
    with pytest.raises(ValueError, match="version"):
        cluster.decode_result(json.dumps({**json.loads(text), "version": 99}))


def test_worker_side_refusals_and_the_masked_key(monkeypatch):
    import pickle

    s = cluster.Secret(b"abcdef")
    assert "abcdef" not in repr(s) + str(s) and pickle.loads(pickle.dumps(s)).reveal() == b"abcdef"
    a = "ch01_neuron"
    digest = cluster.course_digest(a)
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: None)
    with pytest.raises(cluster.CourseMismatch):
        cluster.grade_remote(a, "ada", None, None, [], s, "0" * 64)
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: "bubblewrap (bwrap) is not installed")
    with pytest.raises(sandbox.SandboxUnavailable) as remote:
        cluster.grade_remote(a, "ada", None, None, [], s, digest)
    with pytest.raises(sandbox.SandboxUnavailable) as local:
        grader.grade_class(a, Path("."), found=[])
    assert str(remote.value) == str(local.value)
    assert cluster.preflight(a, cluster.course_files(a))["problem"] == str(local.value)


def test_killed_worker_scores_zero_with_a_message(tmp_path):
    """A submission whose task outlived ``allowed-failures`` worker deaths: 0, not retried."""
    from distributed.scheduler import KilledWorker

    a = "ch01_neuron"
    nb = make_submission(a, tmp_path / "ada" / a / f"{a}.ipynb")

    run = cluster.ClusterRun()
    died = KilledWorker("grade-ch01_neuron-ada-x", None, 2)
    r = cluster._outcome((KilledWorker, died, None), grader.Submission("ada", nb), a, cluster.Secret(b"k"), run)
    assert r.score == 0 and r.max_score > 0 and run.counts.failed == 1 and not run.failed
    assert "cut short 3 times" in r.messages[-1]
    assert all("cut short" in t.note and not t.checks for t in r.tasks.values())
    assert r.graded_nb is not None                 # the written answers still reach formgrader
    assert cluster._outcome((RuntimeError, RuntimeError("refused"), None), grader.Submission("bo", nb), a,
                            cluster.Secret(b"k"), run) is None
    assert run.failed == [("bo", "RuntimeError: refused")] and run.counts.failed == 2


# ---------------------------------------------------------------- on the cluster
@NEEDS_BWRAP
def test_cluster_grades_like_local_torch(torch_class, procs, tmp_path):
    a = TORCH
    subs, local = torch_class
    need_workers(procs, 2)
    p = grade(a, subs, tmp_path / "remote", *on_cluster(procs))
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    assert f"graded {N} submissions" in p.stdout and "0 failed, 0 retried" in p.stdout
    assert_same(a, local, tmp_path / "remote")
    assert no_duplicates(tmp_path / "remote") == N
    html = {}
    for name, work in (("local", local), ("remote", tmp_path / "remote")):
        f = subprocess.run([str(BIN / "nncourse"), "feedback", a, "--db-url", f"sqlite:///{work / 'gradebook.db'}",
                            "--autograded-dir", str(work / "autograded"), "--feedback-dir", str(work / "feedback")],
                           capture_output=True, text=True, timeout=600, env=_env(), cwd=grader.ROOT)
        assert f.returncode == 0, f.stderr[-2000:]
        html[name] = {q.relative_to(work / "feedback").as_posix(): q.read_text()
                      for q in (work / "feedback").rglob("*.html")}
    assert len(html["local"]) == N
    assert html["remote"] == html["local"]


@NEEDS_BWRAP
def test_interrupted_run_then_only_the_missing_are_graded(numpy_class, procs, tmp_path):
    a = "ch01_neuron"
    subs, local = numpy_class
    need_workers(procs, 2)
    work = tmp_path / "remote"
    work.mkdir()
    proc = subprocess.Popen(_grade_args(a, subs, work, *on_cluster(procs)), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=_env(), cwd=grader.ROOT)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        end = time.monotonic() + 300
        while sum(line.startswith("  graded ") for line in lines) < 8 and proc.poll() is None:
            assert time.monotonic() < end, "".join(lines)
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    reader.join(timeout=30)
    out = "".join(lines)
    assert proc.returncode == 130, out
    assert "interrupted:" in out
    first = no_duplicates(work)
    assert 8 <= first < N, out
    # whole submissions only: every saved one has all its grades and its graded notebook
    partial = read_scores(f"sqlite:///{work / 'gradebook.db'}", a)
    want = read_scores(f"sqlite:///{local / 'gradebook.db'}", a)
    done = {s for s, g in partial.items() if any(v is not None for v in g.values())}
    assert len(done) == first
    for s in done:
        assert partial[s] == want[s]
        assert (work / "autograded" / s / a / f"{a}.ipynb").is_file()
    again = grade(a, subs, work, *on_cluster(procs))
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert f"skipped {first} submissions already in the gradebook" in again.stdout
    assert f"graded {N - first} submissions" in again.stdout
    assert sum(line.startswith("  graded ") for line in again.stdout.splitlines()) == N - first
    assert_same(a, local, work)
    assert no_duplicates(work) == N


@NEEDS_BWRAP
def test_worker_killed_mid_run(numpy_class, procs, tmp_path):
    from distributed import Client

    a = "ch01_neuron"
    subs, local = numpy_class
    need_workers(procs, 2)
    work = tmp_path / "remote"
    work.mkdir()
    since = time.time()               # the scheduler's clock (this machine): this run's events only
    proc = subprocess.Popen(_grade_args(a, subs, work, *on_cluster(procs)), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=_env(), cwd=grader.ROOT)
    killed = None
    try:
        with Client(procs.address, security=cluster.security(procs.tls), timeout=30, set_as_default=False) as c:
            end = time.monotonic() + 300
            while killed is None:
                assert time.monotonic() < end and proc.poll() is None, "the slow submission never started"
                for when, msg in c.get_events(cluster.TOPIC):
                    if when >= since and msg.get("student") == SLOW and msg.get("assignment") == a:
                        info = c.scheduler_info(n_workers=-1)["workers"].get(msg["worker"])
                        if info and info.get("name") in procs.alive_workers():
                            killed = info["name"]
                time.sleep(0.05)
            time.sleep(1.0)                     # the worker's last result has reached the command
            procs.kill(killed)                  # SIGKILL while it grades the slow submission
        out, _ = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == 0, out[-3000:]
    assert "0 failed, 1 retried" in out, out[-3000:]
    assert_same(a, local, work)
    assert no_duplicates(work) == N


@NEEDS_BWRAP
def test_worker_without_bubblewrap_refuses(numpy_class, procs, tmp_path):
    a = "ch01_neuron"
    subs, _ = numpy_class
    need_workers(procs, 1)
    try:
        procs.start_worker("nobwrap", env={"PATH": str(BIN)})          # bwrap is in /usr/bin
        p = grade(a, subs, tmp_path / "remote", *on_cluster(procs))
    finally:
        procs.kill("nobwrap")
    assert p.returncode == 2, p.stdout[-2000:] + p.stderr[-2000:]
    assert "nothing was graded" in p.stderr and "bubblewrap (bwrap) is not installed" in p.stderr
    assert p.stderr.count("worker tls://") == 1                          # the good workers are fine
    assert no_duplicates(tmp_path / "remote") == 0
    assert not (tmp_path / "remote" / "autograded").exists()


@NEEDS_BWRAP
def test_every_process_stopped(procs):
    procs.stop()
    assert all(p.poll() is not None for p in procs.processes())
    assert procs.leftovers() == []
