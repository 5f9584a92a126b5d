"""The gradebook on a real PostgreSQL server: grade, export and feedback, and the password kept out of sight.

The test starts its own server (Debian's ``postgresql``, installed by ``make
setup`` where it can be): a cluster in a temporary folder, listening on
127.0.0.1 and a Unix socket in that folder, with password authentication,
stopped at the end. As root, the server runs as the ``postgres`` user (it
refuses to run as root). Where no server can be started the tests are
skipped with the reason.
"""

import csv
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from nncourse.grading.testing import make_submission, read_scores

pytestmark = pytest.mark.slow
A = "ch01_neuron"
BIN = Path(sys.executable).parent
PASSWORD = "pg-s3cret-7f3a"


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    pg = _pg_bin()
    if pg is None:
        pytest.skip("no PostgreSQL server binaries (Debian: apt-get install postgresql; `make setup` does it as root)")
    as_root = os.geteuid() == 0
    if as_root and not shutil.which("runuser"):
        pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
    base = Path(tempfile.mkdtemp(prefix="nncourse-pg-", dir="/tmp"))
    base.chmod(0o755)
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    pwfile = base / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        shutil.chown(pwfile, "postgres")
    user = ["runuser", "-u", "postgres", "--"] if as_root else []
    port = _free_port()

    def pg_run(*cmd, check=True):
        p = subprocess.run([*user, str(pg / cmd[0]), *cmd[1:]], capture_output=True, text=True, timeout=120)
        if check and p.returncode != 0:
            pytest.skip(f"PostgreSQL could not start: {cmd[0]}: {(p.stderr or p.stdout).strip()[-500:]}")
        return p

    pg_run("initdb", "-D", str(data), "-U", "teacher", "--auth=scram-sha-256", f"--pwfile={pwfile}")
    pg_run("pg_ctl", "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60", "start",
           "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {sock}")
    try:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=port, user="teacher", password=PASSWORD,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE nncourse")
        yield f"postgresql://teacher:{PASSWORD}@127.0.0.1:{port}/nncourse"
    finally:
        pg_run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(base, ignore_errors=True)


def _nncourse(*args, cwd):
    return subprocess.run([str(BIN / "nncourse"), *args], capture_output=True, text=True, timeout=900, cwd=cwd)


def test_grade_export_feedback_on_postgresql(server, tmp_path):
    subs = tmp_path / "submitted"
    make_submission(A, subs / "ada" / A / f"{A}.ipynb")
    make_submission(A, subs / "bo" / A / f"{A}.ipynb", blank=True)
    graded = _nncourse("grade", A, "--submissions", str(subs), "--db-url", server, "--csv", str(tmp_path / "g.csv"),
                       "--autograded-dir", str(tmp_path / "autograded"), "--checks-csv", str(tmp_path / "checks.csv"),
                       cwd=tmp_path)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert PASSWORD not in graded.stdout + graded.stderr
    assert "gradebook: postgresql://teacher:***@127.0.0.1" in graded.stdout
    scores = read_scores(server, A)
    assert scores["ada"]["test_perceptron_train"] > 0 and scores["bo"]["test_perceptron_train"] == 0
    out = tmp_path / "export.csv"
    exported = _nncourse("export", "--to", str(out), "--db-url", server, cwd=tmp_path)
    assert exported.returncode == 0 and PASSWORD not in exported.stdout + exported.stderr
    rows = {r["student_id"]: r for r in csv.DictReader(out.open())}
    assert float(rows["ada"]["score"]) > 0 and float(rows["bo"]["score"]) == 0
    fb = _nncourse("feedback", A, "--db-url", server, "--autograded-dir", str(tmp_path / "autograded"),
                   "--feedback-dir", str(tmp_path / "feedback"), cwd=tmp_path)
    assert fb.returncode == 0, fb.stdout + fb.stderr
    assert (tmp_path / "feedback" / "ada" / A / f"{A}.html").is_file()


def test_wrong_password_fails_before_grading(server, tmp_path):
    subs = tmp_path / "submitted"
    make_submission(A, subs / "ada" / A / f"{A}.ipynb")
    wrong = server.replace(PASSWORD, "not-the-password")
    p = _nncourse("grade", A, "--submissions", str(subs), "--db-url", wrong, "--csv", str(tmp_path / "g.csv"),
                  cwd=tmp_path)
    assert p.returncode == 2 and "cannot open the gradebook postgresql://teacher:***@" in p.stderr
    assert "not-the-password" not in p.stdout + p.stderr and "graded" not in p.stdout
