"""Grade a class on a Dask cluster: one task per submission, run by the cluster's workers.

``nncourse grade A --cluster tls://HOST:PORT`` grades on the workers of a
running Dask scheduler (started by hand, or by Dask Gateway on a JupyterHub)
what :func:`.grader.grade_class` grades in threads on one machine:

- the instructor's process finds the submissions, reads each notebook's
  bytes and sends them, with the grader's secret key, as the arguments of
  one task (:func:`grade_remote`); workers need the course installed (the
  same commit) but not the instructor's disk;
- a worker grades with :func:`.grader.grade_notebook`, in the same sandbox
  and limits as local grading, and returns the result as a JSON string
  (:func:`encode_result`), never a pickled object of the student's;
- only the instructor's process writes the gradebook, the graded notebooks,
  the feedback and the CSV, each result as soon as it comes back, one
  submission per transaction (:class:`.gradebook.Writer`).

Security: the key travels only as a task argument over Dask's ``tls://``
(mutual TLS with the certificates of :func:`make_certificates`), is held
in memory by the scheduler and the worker (never written to their disks;
its ``repr`` is masked, so a worker's "Compute Failed" log does not show
it). A ``tcp://`` address is refused unless the instructor says the
network is trusted (:func:`check_address`).

Faults: a worker that dies mid-task has its tasks rescheduled by Dask's
scheduler, up to ``distributed.scheduler.allowed-failures`` times (a
setting of the scheduler: start it with
``DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=2``); a submission whose
task outlives that (``KilledWorker``) is scored 0 with a message, never
retried forever. A task that raises (a worker without bubblewrap, or with
other course files) is retried once, then reported and left ungraded:
running the command again grades what is missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import checks as checks_mod
from . import grader, sandbox
from .grader import ROOT, CheckResult, Submission, SubmissionResult, TaskResult
from .notebook import MAX_NOTEBOOK_BYTES

TOPIC = "nncourse-grade-started"       # the event a task logs when it starts (retries are counted)
CERT_FILES = {"ca": "ca.pem", "cert": "cert.pem", "key": "key.pem"}
DEFAULT_TLS_DIR = ROOT / "autograder" / ".cluster-tls"
TRUSTED_NETWORK = "trusted network only: the grader's secret key travels in clear"
WIRE_VERSION = 1


class ClusterError(RuntimeError):
    """The cluster cannot grade: a refused address, no connection, a worker that refuses."""


class CourseMismatch(RuntimeError):
    """A worker's course files differ from the instructor's."""


class Secret:
    """The grader's key as a task argument: its ``repr`` is masked (Dask logs a failed
    task's arguments), and it is never written anywhere by the worker."""

    __slots__ = ("_value",)

    def __init__(self, value: bytes):
        self._value = bytes(value)

    def reveal(self) -> bytes:
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__

    def __reduce__(self):
        return (Secret, (self._value,))


# ---------------------------------------------------------------- address and TLS
def check_address(address: str, insecure: bool = False) -> str:
    """The scheduler's address if it may carry the key; else ClusterError (one line).

    ``tls://`` is accepted, and ``gateway://HOST:PORT/CLUSTER`` (a cluster of Dask
    Gateway: TLS to its proxy, with that cluster's own certificate); ``tcp://``
    (or no scheme) only with ``insecure`` (``--insecure-cluster``: a trusted
    network); any other scheme is refused.
    """
    address = (address or "").strip()
    if not address:
        raise ClusterError("--cluster needs the scheduler's address, e.g. tls://scheduler.example.org:8786")
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    scheme = scheme.lower()
    if not rest or rest.startswith(("/", ":")):
        raise ClusterError(f"{address!r} is not a scheduler address (expected tls://HOST:PORT)")
    if scheme == "tls":
        return f"tls://{rest}"
    if scheme == "gateway":
        if "/" not in rest.strip("/"):
            raise ClusterError(f"{address!r}: a Dask Gateway address names its cluster "
                               "(gateway://HOST:PORT/CLUSTER-NAME, the cluster's scheduler_address)")
        return f"gateway://{rest}"
    if scheme == "tcp":
        if insecure:
            return f"tcp://{rest}"
        raise ClusterError(f"refusing {address!r}: a plain TCP address would carry the grader's secret key in "
                           f"clear; use tls://{rest} (certificates: nncourse cluster-certs DIR), or pass "
                           f"--insecure-cluster ({TRUSTED_NETWORK})")
    raise ClusterError(f"refusing {address!r}: only tls:// and gateway:// (or tcp:// with --insecure-cluster) "
                       "addresses of a Dask scheduler are supported")


def _openssl(*args: str, cwd: Path) -> None:
    exe = shutil.which("openssl")
    if exe is None:
        raise ClusterError("the openssl command is needed to make certificates (Debian/Ubuntu: "
                           "sudo apt-get install openssl)")
    r = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise ClusterError(f"openssl {args[0]} failed: {r.stderr.strip()[-500:]}")


def make_certificates(folder: Path, hosts: Iterable[str] = ("127.0.0.1", "localhost"),
                      days: int = 825) -> dict[str, Path]:
    """A certificate authority and one key and certificate signed by it, for the
    scheduler, the workers and the instructor's client (Dask's mutual TLS), in
    ``folder`` (made 0700; every file 0600): ``ca.pem``, ``cert.pem``, ``key.pem``.

    The certificate names ``hosts`` (IP addresses or DNS names) as its
    subjectAltName. The CA's private key is deleted once the certificate is
    signed: nothing else can be signed with it (make a new set to add hosts).
    """
    folder = Path(folder)
    hosts = [h.strip() for h in hosts if h and h.strip()]
    if not hosts:
        raise ValueError("hosts must name at least one IP address or DNS name, got none")
    for h in hosts:
        if not all(c.isalnum() or c in ".-:_*" for c in h):
            raise ValueError(f"hosts must be IP addresses or DNS names, got {h!r}")
    if folder.exists() and any(folder.iterdir()):
        raise ClusterError(f"{folder} is not empty: certificates are never overwritten (choose a new folder)")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)
    san = ",".join(f"IP:{h}" if _is_ip(h) else f"DNS:{h}" for h in hosts)
    (folder / "ext.cnf").write_text(
        f"subjectAltName={san}\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n")
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    try:
        _openssl("req", "-x509", *ec, "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", str(days),
                 "-subj", "/CN=nncourse grading CA", "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)
        _openssl("req", *ec, "-keyout", "key.pem", "-out", "cert.csr", "-subj", "/CN=nncourse grading",
                 cwd=folder)
        _openssl("x509", "-req", "-in", "cert.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                 "-set_serial", str(int.from_bytes(os.urandom(15), "big")), "-days", str(days),
                 "-extfile", "ext.cnf", "-out", "cert.pem", cwd=folder)
    finally:
        for tmp in ("ca-key.pem", "cert.csr", "ext.cnf"):
            (folder / tmp).unlink(missing_ok=True)
    out = {k: folder / name for k, name in CERT_FILES.items()}
    for p in out.values():
        p.chmod(0o600)
    return out


def _is_ip(host: str) -> bool:
    import ipaddress
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def security(cert_dir: Path):
    """``distributed.Security`` for the instructor's client: mutual TLS with the files
    of :func:`make_certificates`, encryption required."""
    from distributed import Security

    cert_dir = Path(cert_dir)
    missing = [n for n in CERT_FILES.values() if not (cert_dir / n).is_file()]
    if missing:
        raise ClusterError(f"no {', '.join(missing)} in {cert_dir}: make the certificates with "
                           f"`nncourse cluster-certs {cert_dir}` (or pass --tls-dir)")
    return Security(tls_ca_file=str(cert_dir / CERT_FILES["ca"]), tls_client_cert=str(cert_dir / CERT_FILES["cert"]),
                    tls_client_key=str(cert_dir / CERT_FILES["key"]), require_encryption=True)


# ---------------------------------------------------------------- the course's files
def course_files(assignment: str) -> dict[str, str]:
    """SHA-256 of every file that decides how ``assignment`` is graded, by path from
    the course root: its checks and probes (``autograder/<a>/``), the source and
    release notebooks, and the grader itself (``nncourse/grading/*.py``)."""
    files = [grader.source_path(assignment), grader.release_path(assignment)]
    adir = ROOT / "autograder" / assignment
    if adir.is_dir():
        files += [p for p in adir.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += list((ROOT / "nncourse" / "grading").glob("*.py"))
    out = {}
    for p in sorted(set(files)):
        rel = p.relative_to(ROOT).as_posix()
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "missing"
    return out


def course_digest(assignment: str, files: dict[str, str] | None = None) -> str:
    """One SHA-256 over :func:`course_files`."""
    files = course_files(assignment) if files is None else files
    return hashlib.sha256("".join(f"{k}\0{v}\n" for k, v in sorted(files.items())).encode()).hexdigest()


def _refusal() -> str | None:
    """The local grader's refusal when bubblewrap cannot be used here (None: it can)."""
    problem = sandbox.bwrap_problem()
    return f"refusing to run student code: {problem}. {sandbox.INSTALL_HINT}" if problem else None


def preflight(assignment: str, files: dict[str, str]) -> dict:
    """Run on every worker before any task (``client.run``): can it grade ``assignment``
    as the instructor would? Returns ``{"problem": str | None}``."""
    import socket

    refusal = _refusal()
    if refusal:
        return {"problem": refusal, "host": socket.gethostname()}
    mine = course_files(assignment)
    differ = sorted(k for k in set(files) | set(mine) if files.get(k) != mine.get(k))
    if differ:
        shown = ", ".join(differ[:5]) + (f" and {len(differ) - 5} more" if len(differ) > 5 else "")
        return {"problem": f"its course files differ from the instructor's ({shown}): install the same commit "
                           f"of the course there (in {ROOT})", "host": socket.gethostname()}
    return {"problem": None, "host": socket.gethostname()}


# ---------------------------------------------------------------- results as JSON
def encode_result(r: SubmissionResult) -> str:
    """A SubmissionResult as plain JSON (what a worker sends back)."""
    return json.dumps({
        "version": WIRE_VERSION, "student": r.student, "assignment": r.assignment,
        "tasks": [{"task": t.task, "test_id": t.test_id, "points": t.points, "score": t.score, "note": t.note,
                   "checks": [[c.label, c.hidden, c.passed, c.message] for c in t.checks]}
                  for t in r.tasks.values()],
        "messages": r.messages, "written": r.written, "written_ids": r.written_ids, "graded_nb": r.graded_nb,
        "wall_seconds": r.wall_seconds, "cpu_seconds": r.cpu_seconds, "timestamp": r.timestamp,
        "folder": None if r.folder is None else str(r.folder)})


def _want(x, types, what: str):
    """``x`` if it is one of ``types`` (a bool is not a number here), else ValueError."""
    types = types if isinstance(types, tuple) else (types,)
    if not isinstance(x, types) or (isinstance(x, bool) and bool not in types):
        raise ValueError(f"a grading result's {what} must be {' or '.join(t.__name__ for t in types)}, "
                         f"got {type(x).__name__}")
    return x


def _strings(xs, what: str) -> list[str]:
    return [_want(x, str, what) for x in _want(xs, list, what)]


def decode_result(text: str) -> SubmissionResult:
    """The SubmissionResult that :func:`encode_result` wrote (ValueError if malformed)."""
    d = json.loads(text)
    _want(d, dict, "JSON")
    if d.get("version") != WIRE_VERSION:
        raise ValueError(f"a grading result of version {d.get('version')!r}, expected {WIRE_VERSION}: "
                         "the worker runs another version of the course")
    num = (int, float)
    tasks = {}
    for t in _want(d["tasks"], list, "tasks"):
        checks = [CheckResult(_want(c[0], str, "check label"), _want(c[1], bool, "hidden"),
                              _want(c[2], bool, "passed"), _want(c[3], str, "message"))
                  for c in _want(t["checks"], list, "checks")]
        tasks[_want(t["task"], str, "task")] = TaskResult(
            t["task"], _want(t["test_id"], str, "test id"), _want(t["points"], num, "points"),
            _want(t["score"], num, "score"), checks, _want(t["note"], str, "note"))
    written = _want(d["written"], dict, "written answers")
    for k, v in written.items():
        _want(v, str, "written answer")
    graded = d["graded_nb"]
    if graded is not None:
        _want(graded, dict, "graded notebook")
    ts, folder = d["timestamp"], d["folder"]
    return SubmissionResult(
        _want(d["student"], str, "student"), _want(d["assignment"], str, "assignment"), tasks,
        _strings(d["messages"], "messages"), written, _strings(d["written_ids"], "written ids"), graded,
        _want(d["wall_seconds"], num, "wall seconds"), _want(d["cpu_seconds"], num, "CPU seconds"),
        None if ts is None else _want(ts, str, "timestamp"),
        None if folder is None else Path(_want(folder, str, "folder")))


# ---------------------------------------------------------------- on a worker
_SPECS: dict[tuple[str, str], checks_mod.Assignment] = {}
_SPECS_LOCK = threading.Lock()


def _log_started(assignment: str, student: str) -> None:
    try:
        from distributed import get_worker
        w = get_worker()
    except (ImportError, ValueError):      # not on a worker (tests call this directly)
        return
    w.log_event(TOPIC, {"assignment": assignment, "student": student, "worker": w.address,
                        "key": str(w.get_current_task())})


def grade_remote(assignment: str, student: str, notebook: tuple[str, bytes] | None, timestamp: str | None,
                 pre_messages: list[str], key_hex: Secret, digest: str) -> str:
    """The task a worker runs for one submission; returns :func:`encode_result`'s JSON.

    ``notebook`` is (file name, bytes) or None; the bytes go to a private
    temporary file that is deleted afterwards. ``key_hex`` is the grader's key
    (a :class:`Secret`), used in memory only (``grade_notebook(key=...)``; no
    ``grader_key()`` here). Raises, rather than grading differently from the
    instructor's machine, when bubblewrap cannot run here
    (:class:`.sandbox.SandboxUnavailable`, the local message) or when this
    worker's course files differ (:class:`CourseMismatch`).
    """
    _log_started(assignment, student)
    refusal = _refusal()
    if refusal:
        raise sandbox.SandboxUnavailable(refusal)
    if course_digest(assignment) != digest:
        raise CourseMismatch(f"this worker's course files for {assignment} differ from the instructor's: "
                             f"install the same commit of the course (in {ROOT})")
    with _SPECS_LOCK:
        spec = _SPECS.get((assignment, digest))
        if spec is None:
            spec = _SPECS[(assignment, digest)] = checks_mod.load(assignment)
            try:  # as in grade_class: the oracles' small torch ops are fastest on one thread
                import torch
                torch.set_num_threads(1)
            except ImportError:
                pass
    key = key_hex.reveal() if isinstance(key_hex, Secret) else str(key_hex).encode()
    with tempfile.TemporaryDirectory(prefix="nncourse-grade-") as tmp:
        path = None
        if notebook is not None:
            name, data = notebook
            if not isinstance(name, str) or Path(name).name != name or name in ("", ".", ".."):
                name = f"{assignment}.ipynb"
            path = Path(tmp) / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        try:
            r = grader.grade_notebook(path, spec, student, key=key, pre_messages=tuple(pre_messages))
        except Exception as e:  # noqa: BLE001 - as grade_class: a bug of ours must not stop the class
            r = SubmissionResult(student, assignment,
                                 messages=[*pre_messages, f"grader error: {type(e).__name__}: {e}"])
    r.timestamp = timestamp
    return encode_result(r)


# ---------------------------------------------------------------- the instructor's side
@dataclass
class Counts:
    done: int = 0         # results back (graded, or scored 0 after killing workers)
    failed: int = 0       # no grade from the cluster (refused, cancelled) or KilledWorker
    retried: int = 0      # task starts beyond the first, per submission
    total: int = 0


@dataclass
class ClusterRun:
    results: list[SubmissionResult] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)   # (student, why): not saved
    counts: Counts = field(default_factory=Counts)
    workers: int = 0


def _read_notebook(sub: Submission) -> tuple[str, bytes] | None:
    if sub.notebook is None:
        return None
    with open(sub.notebook, "rb") as f:      # a larger file is refused by the grader, as locally
        return sub.notebook.name, f.read(MAX_NOTEBOOK_BYTES + 1)


def _connect(address: str, sec, timeout: float):
    from distributed import Client

    if address.startswith("gateway://"):
        try:
            import dask_gateway  # noqa: F401 - registers the gateway:// protocol with distributed
        except ImportError:
            raise ClusterError("a gateway:// address needs the Dask Gateway client here "
                               "(.venv/bin/pip install dask-gateway, the version of your hub's gateway)") from None
    try:
        return Client(address, security=sec, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {type(e).__name__}: "
                           f"{str(e).splitlines()[0] if str(e) else ''}") from None


def _preflight(client, assignment: str, files: dict[str, str], wait_workers: float) -> int:
    """Every worker can grade, or ClusterError naming those that cannot. Returns the workers' count."""
    try:
        client.wait_for_workers(1, timeout=wait_workers)
    except TimeoutError:
        raise ClusterError(f"no worker joined the scheduler within {wait_workers:g} s") from None
    answers = client.run(preflight, assignment, files, on_error="return")
    bad = []
    for addr, ans in sorted(answers.items()):
        if isinstance(ans, BaseException):
            bad.append(f"worker {addr}: cannot run the course's grader: {type(ans).__name__}: {ans}")
        elif ans.get("problem"):
            bad.append(f"worker {addr} ({ans.get('host')}): {ans['problem']}")
    if bad:
        raise ClusterError("a worker cannot grade, nothing was graded:\n  " + "\n  ".join(bad))
    return len(answers)


def _outcome(res, sub: Submission, assignment: str, secret: Secret, out: ClusterRun) -> SubmissionResult | None:
    """The result of a finished task (``res``: what ``as_completed(with_results=True)`` gave:
    the JSON text, an exception triple, or CancelledError); for a submission whose workers
    kept dying, a zero; None when there is no grade (refused, cancelled, unreadable):
    listed in ``out.failed``."""
    from distributed.scheduler import KilledWorker

    if isinstance(res, str):
        try:
            r = decode_result(res)
            if r.student != sub.student or r.assignment != assignment:
                raise ValueError(f"it is {r.assignment}/{r.student}'s")
            return r
        except (ValueError, KeyError, IndexError, TypeError) as e:
            why = f"the worker's result could not be read ({e})"
    else:
        exc = res[1] if isinstance(res, tuple) and len(res) == 3 else res
        if isinstance(exc, KilledWorker):
            n = exc.allowed_failures + 1 if isinstance(exc.allowed_failures, int) else "several"
            note = (f"not graded: its grading was cut short {n} times by its grading machine stopping; "
                    "every answer scores 0")
            out.counts.failed += 1
            r = grader.grade_notebook(sub.notebook, checks_mod.load(assignment), sub.student,
                                      key=secret.reveal(), pre_messages=tuple(sub.messages), not_run=note)
            r.messages.append(note)
            return r
        why = f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else f"no result ({exc!r:.200})"
    out.counts.failed += 1
    out.failed.append((sub.student, why))
    return None


@contextlib.contextmanager
def deferred_interrupt():
    """Ctrl-C (SIGINT) waits until the block is over, then raises KeyboardInterrupt:
    saving one submission is never cut in half. No-op outside the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: got.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if got:
        raise KeyboardInterrupt


def grade_on_cluster(assignment: str, found: list[Submission], address: str, security=None,
                     progress: Callable[[SubmissionResult | None, Counts], None] | None = None, *,
                     on_result: Callable[[SubmissionResult], None] | None = None, key: bytes | None = None,
                     retries: int = 1, window: int | None = None, connect_timeout: float = 30.0,
                     wait_workers: float = 60.0, no_worker_seconds: float = 300.0) -> ClusterRun:
    """Grade ``found`` on the Dask cluster at ``address``; return what came back.

    A preflight on every worker (bubblewrap, course files) refuses before
    any task (:class:`ClusterError`). Then one task per submission, at most
    ``window`` in flight (default: 4 per worker thread, at least 32: the
    scheduler never holds a whole class's notebooks). Each result is decoded
    and handed to ``on_result`` at once (the caller saves it), then to
    ``progress`` with the counts. A submission whose workers kept dying
    (``KilledWorker``) is scored 0 with a message; a task that raised
    (refused) is listed in ``failed`` and not handed on. Ctrl-C cancels what
    is left (KeyboardInterrupt propagates); so does an error, and the
    client is always closed.
    """
    from distributed import as_completed

    address = check_address(address, insecure=True)   # the CLI has checked the scheme
    files = course_files(assignment)
    digest = course_digest(assignment, files)
    secret = Secret(key if key is not None else grader.grader_key())
    out = ClusterRun(counts=Counts(total=len(found)))
    if not found:
        return out
    client = _connect(address, security, connect_timeout)
    starts: dict[str, int] = {}
    lock = threading.Lock()
    token = uuid.uuid4().hex[:8]              # this run's task keys end with it

    def started(event):
        msg = event[1] if isinstance(event, (tuple, list)) and len(event) == 2 else event
        key = msg.get("key") if isinstance(msg, dict) else None
        if not isinstance(key, str) or not key.endswith(f"-{token}"):
            return                            # another run's task (still finishing after a Ctrl-C)
        with lock:
            starts[key] = starts.get(key, 0) + 1
            if starts[key] > 1:
                out.counts.retried += 1

    futures = {}
    try:
        out.workers = _preflight(client, assignment, files, wait_workers)
        client.subscribe_topic(TOPIC, started)
        by_key = {}
        queue = list(found)
        # with_results: a result is fetched as soon as its task ends, then its future released, so
        # a worker that dies later loses nothing of ours (nor is the task run again), however long
        # the gradebook takes to save the results that came before
        ac = as_completed(loop=client.loop, with_results=True, raise_errors=False)
        ready: list = []
        last_threads_check, threads = 0.0, 1
        no_workers_since = None

        def top_up():
            nonlocal last_threads_check, threads
            now = time.monotonic()
            if now - last_threads_check > 5.0:
                try:
                    threads = max(1, sum(client.nthreads().values()))
                except Exception:  # noqa: BLE001 - reconnecting: keep the last count
                    pass
                last_threads_check = now
            limit = window or max(32, 4 * threads)
            while queue and len(futures) < limit:
                sub = queue.pop(0)
                k = f"grade-{assignment}-{sub.student}-{token}"
                fut = client.submit(grade_remote, assignment, sub.student, _read_notebook(sub), sub.timestamp,
                                    list(sub.messages), secret, digest, key=k, pure=False, retries=retries)
                futures[k] = fut
                by_key[k] = sub
                ac.add(fut)

        def collect():
            for fut, res in ac.next_batch(block=False):
                ready.append((by_key.pop(fut.key), res))
                futures.pop(fut.key, None)
                fut.release()

        top_up()
        while futures or ready:
            collect()
            if not ready:
                now = time.monotonic()
                if client.status in ("closing", "closed"):
                    raise ClusterError(f"the connection to the scheduler at {address} was closed")
                if now - last_threads_check > 5.0:
                    last_threads_check = now
                    try:
                        threads = sum(client.nthreads().values())
                    except Exception:  # noqa: BLE001 - reconnecting: counts as no worker
                        threads = 0
                    if threads == 0:
                        no_workers_since = no_workers_since or now
                        if now - no_workers_since > no_worker_seconds:
                            raise ClusterError(f"no worker (or no scheduler) for {no_worker_seconds:g} s: "
                                               "stopped")
                    else:
                        no_workers_since = None
                time.sleep(0.05)
                continue
            sub, res = ready.pop(0)
            r = _outcome(res, sub, assignment, secret, out)
            out.counts.done += 1
            if r is not None:
                r.timestamp = sub.timestamp
                r.folder = sub.notebook.parent if sub.notebook is not None else None
                if on_result:
                    on_result(r)
                out.results.append(r)
            if progress:
                progress(r, out.counts)
            top_up()
    finally:
        for fut in futures.values():
            fut.cancel()
        with contextlib.suppress(Exception):
            client.unsubscribe_topic(TOPIC)
        with contextlib.suppress(Exception):
            client.close(timeout=10)
    return out
