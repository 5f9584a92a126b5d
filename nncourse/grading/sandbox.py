"""Run a submission's code in a sandbox, with limits, and supervise it.

Isolation (bubblewrap): new user, network, PID, IPC and mount namespaces.
The sandbox sees read-only ``/usr`` and the Python installation, a writable
size-limited tmpfs as its working directory, and nothing else: not the
repository, ``solutions/``, the gradebook, other submissions or the
grader's key. For NumPy-only assignments ``torch`` is hidden as well.

Limits: wall time per cell, per call and per notebook (enforced here, by
killing the whole process tree), CPU time and output size (``prlimit``),
memory and process count (a cgroup where one can be created, else
``RLIMIT_AS`` and ``RLIMIT_NPROC``). When a step hits a limit, the sandbox
is killed and restarted without that step, so the rest of the submission
is still graded. Nothing a submission starts outlives :func:`run`.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .wire import safe_text

HERE = Path(__file__).resolve().parent
HARNESS_FILES = ("harness.py", "wire.py")
MAX_MESSAGE = 64 * 2**20


class SandboxUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Limits:
    cell_seconds: float = 10.0       # wall time of one answer cell
    call_seconds: float = 10.0       # wall time of one graded call
    startup_seconds: float = 30.0    # interpreter start and prelude (imports)
    notebook_seconds: float = 60.0   # wall time of the whole submission, restarts included
    cpu_seconds: int = 60            # CPU time of one sandbox process (all threads)
    memory_bytes: int = 2 * 2**30
    processes: int = 32
    output_bytes: int = 2**20        # what the submission may print (and write to files)
    tmpfs_bytes: int = 64 * 2**20    # its writable working directory


@dataclass
class StepResult:
    ok: bool
    error: str = ""
    value: object = None             # encoded (wire) value, decoded by the caller
    args_after: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


@dataclass
class RunResult:
    cells: dict[str, StepResult]
    calls: list[StepResult]
    output_tail: str = ""
    restarts: int = 0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    forbidden_modules: list = field(default_factory=list)  # imported despite being forbidden


# ----------------------------------------------------------------- availability
@lru_cache(maxsize=None)
def bwrap_problem() -> str | None:
    """Why bubblewrap cannot be used here, or None if it works."""
    exe = shutil.which("bwrap")
    if exe is None:
        return "bubblewrap (bwrap) is not installed"
    if shutil.which("prlimit") is None:
        return "prlimit (util-linux) is not installed"
    try:
        r = subprocess.run([exe, "--unshare-all", "--unshare-user", "--die-with-parent",
                            "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                            "--size", str(2**20), "--tmpfs", "/tmp", "true"],
                           capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap failed to run: {e}"
    if r.returncode != 0:
        return f"bwrap cannot create namespaces here: {r.stderr.strip()[:200]}"
    return None


INSTALL_HINT = ("Install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`, or run `make setup` as "
                "root) and make sure unprivileged user namespaces are enabled. To grade anyway "
                "WITHOUT isolation, only for code you trust, pass --no-sandbox.")


# ----------------------------------------------------------------- cgroups
class Cgroup:
    """A pids+memory cgroup for one sandbox (v1 or v2), or nothing if not permitted."""

    def __init__(self, limits: Limits, enabled: bool = True):
        self.dirs: list[Path] = []
        self.memory_dir: Path | None = None
        self.cpu_file: Path | None = None
        if not enabled:  # unsandboxed runs (self-check without bwrap): no cgroup
            return
        name = f"nncourse-{uuid.uuid4().hex[:12]}"
        v1 = Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup/memory")
        cpuacct = Path("/sys/fs/cgroup/cpuacct")
        v2 = Path("/sys/fs/cgroup")
        try:
            if all(os.access(p, os.W_OK) for p in v1):
                pids, mem = (p / name for p in v1)
                pids.mkdir(); self.dirs.append(pids)
                mem.mkdir(); self.dirs.append(mem)
                (pids / "pids.max").write_text(str(limits.processes))
                (mem / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
                self.memory_dir = mem
                if os.access(cpuacct, os.W_OK):
                    acct = cpuacct / name
                    acct.mkdir(); self.dirs.append(acct)
                    self.cpu_file = acct / "cpuacct.usage"
            elif (v2 / "cgroup.controllers").exists() and os.access(v2, os.W_OK):
                d = v2 / name
                d.mkdir(); self.dirs.append(d)
                (d / "pids.max").write_text(str(limits.processes))
                (d / "memory.max").write_text(str(limits.memory_bytes))
                if (d / "memory.swap.max").exists():
                    (d / "memory.swap.max").write_text("0")
                self.memory_dir = d
                self.cpu_file = d / "cpu.stat"
        except OSError:
            self.remove()
            self.dirs = []

    @property
    def active(self) -> bool:
        return bool(self.dirs)

    def join_command(self) -> str:
        return " && ".join(f"echo $$ > {d / 'cgroup.procs'}" for d in self.dirs)

    def memory_exceeded(self) -> bool:
        if self.memory_dir is None:
            return False
        for f, test in (("memory.failcnt", lambda s: int(s) > 0),
                        ("memory.events", lambda s: any(l.startswith(("oom ", "oom_kill ", "max ")) and
                                                        int(l.split()[1]) > 0 for l in s.splitlines()))):
            p = self.memory_dir / f
            if p.exists():
                try:
                    return test(p.read_text())
                except (OSError, ValueError):
                    return False
        return False

    def cpu_seconds(self) -> float | None:
        """CPU time used by everything in the cgroup, if the kernel accounts it."""
        try:
            text = self.cpu_file.read_text() if self.cpu_file else None
        except OSError:
            return None
        if text is None:
            return None
        if self.cpu_file.name == "cpuacct.usage":
            return int(text) / 1e9
        for line in text.splitlines():
            if line.startswith("usage_usec "):
                return int(line.split()[1]) / 1e6
        return None

    def kill_all(self) -> None:
        for _ in range(50):
            pids = set()
            for d in self.dirs:
                try:
                    pids |= {int(p) for p in (d / "cgroup.procs").read_text().split()}
                except OSError:
                    pass
            if not pids:
                return
            for p in pids:
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.02)

    def remove(self) -> None:
        self.kill_all()
        for d in self.dirs:
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


# ----------------------------------------------------------------- command
def _python_paths() -> list[str]:
    paths = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix}
    return sorted(paths)


def _site_dirs() -> list[Path]:
    """Every directory the sandbox can import packages from: numpy's site-packages both
    as seen and resolved (they differ when the venv is reached through a symlink, and
    both are bound), and the site-packages of every bound Python installation."""
    import numpy
    site = Path(os.path.abspath(numpy.__file__)).parent.parent
    dirs = {site, site.resolve()}
    ver = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for p in _python_paths():
        for sub in ("site-packages", "dist-packages"):
            dirs.add(Path(p) / "lib" / ver / sub)
    return sorted(d for d in dirs if d.is_dir())


def bwrap_command(harness_dir: Path, limits: Limits, hide: tuple[str, ...], fd: int) -> list[str]:
    cmd = ["bwrap", "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
           "--hostname", "sandbox", "--die-with-parent", "--new-session",
           # the writable tmpfs mounts come first: the read-only binds below (the
           # Python installation may live under /tmp) must stay on top of them
           "--size", str(limits.tmpfs_bytes), "--tmpfs", "/tmp",
           "--size", str(limits.tmpfs_bytes), "--tmpfs", "/submission",
           "--ro-bind", "/usr", "/usr"]
    for d in ("/bin", "/lib", "/lib64", "/lib32", "/sbin"):
        if os.path.exists(d):
            cmd += ["--ro-bind", d, d]
    for f in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime"):
        if os.path.exists(f):
            cmd += ["--ro-bind", f, f]
    for p in _python_paths():
        cmd += ["--ro-bind", p, p]
    for site in _site_dirs():
        for mod in hide:
            for target in (site / mod, *site.glob(f"{mod}-*.dist-info")):
                if target.exists():
                    cmd += ["--tmpfs", str(target)]
    cmd += ["--proc", "/proc", "--dev", "/dev",
            # bwrap's /dev is a tmpfs without a size limit, and /dev/shm in it is writable
            "--size", str(limits.tmpfs_bytes), "--tmpfs", "/dev/shm",
            "--ro-bind", str(harness_dir), "/grader",
            # the root (a tmpfs of bwrap's, holding the mount points) read-only: without it,
            # /root, /work, ... were writable, outside the size limits of /tmp and /submission
            "--remount-ro", "/",
            "--chdir", "/submission", "--clearenv",
            "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/submission",
            "--setenv", "MPLCONFIGDIR", "/tmp", "--setenv", "MPLBACKEND", "Agg",
            "--setenv", "OMP_NUM_THREADS", "1", "--setenv", "OPENBLAS_NUM_THREADS", "1",
            "--setenv", "MKL_NUM_THREADS", "1", "--setenv", "PYTHONHASHSEED", "0"]
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # see the machine notes
        if var in os.environ:
            cmd += ["--setenv", var, os.environ[var]]
    # absolute and normalized: a relative path (../.venv/bin/python) does not exist in the sandbox
    cmd += [os.path.abspath(sys.executable), "-I", "-B", "/grader/harness.py", str(fd)]
    return cmd


def unsandboxed_command(harness_dir: Path, fd: int) -> list[str]:
    return [sys.executable, "-I", "-B", str(harness_dir / "harness.py"), str(fd)]


def _rlimits(limits: Limits, cgroup: Cgroup) -> list[str]:
    r = [f"--cpu={limits.cpu_seconds}", f"--fsize={limits.output_bytes}", "--core=0",
         "--nofile=256"]
    if not cgroup.active:
        r.append(f"--as={limits.memory_bytes}")
        if os.getuid() != 0:  # RLIMIT_NPROC counts all processes of this user
            r.append(f"--nproc={_count_my_processes() + limits.processes}")
    return r


def _count_my_processes() -> int:
    uid, n = os.getuid(), 0
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                n += p.stat().st_uid == uid
            except OSError:
                pass
    return n


# ----------------------------------------------------------------- supervision
class _Attempt:
    """One sandbox process: start it, feed it the request, follow its events."""

    def __init__(self, request: dict, limits: Limits, sandboxed: bool, hide: tuple[str, ...],
                 harness_dir: Path, out_path: Path):
        self.limits = limits
        self.cgroup = Cgroup(limits, enabled=sandboxed)
        r, w = os.pipe()
        inner = (bwrap_command(harness_dir, limits, hide, w) if sandboxed
                 else unsandboxed_command(harness_dir, w))
        prl = ["prlimit", *_rlimits(limits, self.cgroup), "--"] if shutil.which("prlimit") else []
        argv = prl + inner
        if self.cgroup.active:
            argv = ["/bin/sh", "-c", self.cgroup.join_command() + ' && exec "$@"', "sh", *argv]
        self.out = open(out_path, "ab")
        # a minimal environment: bwrap stays in the sandbox as its PID 1, and the
        # submission can read /proc/1/environ (the grader's key, the instructor's tokens)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")} if sandboxed else None
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=self.out,
                                     stderr=subprocess.STDOUT, pass_fds=(w,), env=env,
                                     start_new_session=True, close_fds=True)
        os.close(w)
        self.rfd = r
        os.set_blocking(r, False)
        try:
            self.proc.stdin.write(json.dumps(request).encode())
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        self.buf = bytearray()
        self.cpu = 0.0

    def events(self, deadline_fn):
        """Yield decoded events; yield ("timeout", None) or ("eof", None) at the end."""
        sel = selectors.DefaultSelector()
        sel.register(self.rfd, selectors.EVENT_READ)
        scanned = 0  # self.buf[:scanned] holds no newline: never scan it again (linear time)
        try:
            while True:
                while (nl := self.buf.find(b"\n", scanned)) >= 0:
                    line = bytes(self.buf[:nl])
                    del self.buf[:nl + 1]
                    scanned = 0
                    try:
                        msg = json.loads(line)
                        if not isinstance(msg, dict):
                            raise ValueError
                    except (ValueError, RecursionError):  # deeply nested JSON: RecursionError
                        yield "garbled", None
                        return
                    yield "event", msg
                scanned = len(self.buf)
                timeout = deadline_fn() - time.monotonic()
                if timeout <= 0:
                    yield "timeout", None
                    return
                if not sel.select(timeout):
                    continue
                try:
                    chunk = os.read(self.rfd, 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    yield "eof", None
                    return
                self.buf += chunk
                if len(self.buf) > MAX_MESSAGE:
                    yield "garbled", None
                    return
        finally:
            sel.close()

    def reap(self, timeout: float) -> int | None:
        """Wait for the process; keep its own resource usage (``wait4``) in ``self.cpu``."""
        end = time.monotonic() + timeout
        while self.proc.returncode is None:
            try:
                pid, status, ru = os.wait4(self.proc.pid, os.WNOHANG)
            except ChildProcessError:
                self.proc.returncode = -1
                break
            if pid:
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                self.cpu = ru.ru_utime + ru.ru_stime
                break
            if time.monotonic() >= end:
                return None
            time.sleep(0.005)
        return self.proc.returncode

    def kill(self) -> tuple[int | None, bool]:
        """Kill the whole tree; return (exit status, memory limit hit)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.cgroup.kill_all()
        rc = self.reap(10)
        cg_cpu = self.cgroup.cpu_seconds()
        if cg_cpu is not None:
            self.cpu = cg_cpu
        mem = self.cgroup.memory_exceeded()
        self.cgroup.remove()
        os.close(self.rfd)
        self.out.close()
        return rc, mem



def _death_reason(rc: int | None, mem: bool, limits: Limits) -> str:
    if mem:
        return f"was killed: memory limit of {limits.memory_bytes / 2**30:g} GiB exceeded"
    sig = None
    if rc is not None and rc < 0:
        sig = -rc
    elif rc is not None and rc > 128:
        sig = rc - 128
    if sig == signal.SIGXCPU:
        return f"was killed: CPU time limit of {limits.cpu_seconds} s exceeded"
    if sig == signal.SIGKILL:
        return "was killed (SIGKILL: a memory or process limit, or the code killed itself)"
    if sig is not None:
        return f"was killed by signal {signal.Signals(sig).name if sig in signal.valid_signals() else sig}"
    return f"ended the process (exit status {rc})"


def _call_seconds(call: dict, limits: Limits) -> float:
    """The time limit of one call: the grader's own ``seconds`` for it, else the default."""
    s = call.get("seconds")
    return float(s) if isinstance(s, (int, float)) and not isinstance(s, bool) and s > 0 else limits.call_seconds


def run(request: dict, limits: Limits = Limits(), sandboxed: bool = True,
        hide: tuple[str, ...] = ()) -> RunResult:
    """Execute ``request`` (see ``harness.py``) under ``limits``; never raises for bad code."""
    if sandboxed and (problem := bwrap_problem()):
        raise SandboxUnavailable(f"{problem}. {INSTALL_HINT}")
    cells, calls = request["cells"], request["calls"]
    cell_res: dict[str, StepResult] = {}
    call_res: list[StepResult | None] = [None] * len(calls)
    skip: set[str] = set()
    start_call = 0
    t0 = time.monotonic()
    cpu = 0.0
    restarts = 0
    forbidden: list = []
    with tempfile.TemporaryDirectory(prefix="nncourse-grade-") as tmp:
        tmp = Path(tmp)
        hdir = tmp / "grader"
        hdir.mkdir()
        for f in HARNESS_FILES:
            shutil.copy(HERE / f, hdir / f)
        os.chmod(hdir, 0o755)
        out_path = tmp / "output.txt"
        while True:
            notebook_deadline = t0 + limits.notebook_seconds
            if time.monotonic() >= notebook_deadline:
                break
            req = dict(request, skip_cells=sorted(skip), start_call=start_call)
            att = _Attempt(req, limits, sandboxed, hide, hdir, out_path)
            step = ("startup", None)
            step_deadline = time.monotonic() + limits.startup_seconds
            outcome = "eof"
            last = (-1, -1)  # steps only move forward: a step is never started twice
            try:
                for kind, msg in att.events(lambda: min(step_deadline, notebook_deadline)):
                    if kind != "event":
                        outcome = kind
                        break
                    ev, i = msg.get("ev"), msg.get("i")
                    now = time.monotonic()
                    if ev == "done":
                        outcome = "done"
                        mods = msg.get("modules")
                        forbidden = [safe_text(m, 100) for m in mods[:20]] if isinstance(mods, list) else []
                        break
                    # every message is checked: a malformed one (i a float, args_after not a
                    # list, a step started twice, ...) must not raise here, nor move a deadline
                    idle = step[0] in ("startup", "between")
                    if type(i) is not int:
                        outcome = "garbled"
                        break
                    if (ev == "cell_start" and idle and (0, i) > last and 0 <= i < len(cells)
                            and cells[i]["name"] not in skip):
                        step, step_deadline, last = ("cell", i), now + limits.cell_seconds, (0, i)
                    elif ev == "cell_end" and step == ("cell", i):
                        cell_res[cells[i]["name"]] = StepResult(bool(msg.get("ok")), safe_text(msg.get("error", ""), 500))
                        if not msg.get("ok"):
                            skip.add(cells[i]["name"])  # it would fail the same way on a restart
                        step, step_deadline = ("between", None), now + limits.call_seconds
                    elif ev == "call_start" and idle and (1, i) > last and start_call <= i < len(calls):
                        step, step_deadline, last = ("call", i), now + _call_seconds(calls[i], limits), (1, i)
                    elif (ev == "call_end" and step == ("call", i)
                          and isinstance(msg.get("args_after") or [], list)
                          and isinstance(msg.get("warnings") or [], list)):
                        call_res[i] = StepResult(bool(msg.get("ok")), safe_text(msg.get("error", ""), 500),
                                                 msg.get("value"), msg.get("args_after") or [],
                                                 [safe_text(w, 200) for w in (msg.get("warnings") or [])[:5]])
                        start_call = i + 1
                        step, step_deadline = ("between", None), now + limits.call_seconds
                    else:
                        outcome = "garbled"
                        break
                if outcome in ("done", "eof"):  # let it exit: its exit status tells why it ended
                    att.reap(2)
            finally:  # whatever happens here, nothing the submission started survives
                rc, mem = att.kill()
            cpu += att.cpu
            if outcome == "done":
                break
            restarts += 1
            if outcome == "timeout":
                if time.monotonic() >= notebook_deadline:
                    why = f"stopped: the notebook's time limit of {limits.notebook_seconds:g} s was reached"
                else:
                    lim = {"cell": limits.cell_seconds, "call": limits.call_seconds}.get(step[0], limits.startup_seconds)
                    if step[0] == "call":
                        lim = _call_seconds(calls[step[1]], limits)
                    why = f"took longer than its time limit of {lim:g} s"
            elif outcome == "garbled":
                why = "interfered with the grader's channel (malformed message)"
            else:
                why = _death_reason(rc, mem, limits)
            kind, i = step
            if kind == "cell":
                cell_res[cells[i]["name"]] = StepResult(False, f"this cell {why}")
                skip.add(cells[i]["name"])
            elif kind == "call":
                call_res[i] = StepResult(False, f"the call {why}")
                start_call = i + 1
                if outcome == "timeout":
                    # one function that never returns must not use up the time of the
                    # others: skip its remaining calls (the grader sends them in a row)
                    target = calls[i].get("target")
                    while start_call < len(calls) and calls[start_call].get("target") == target:
                        call_res[start_call] = StepResult(
                            False, f"not run: an earlier call of {target} took longer than its time limit")
                        start_call += 1
            elif kind == "between":
                # nothing of ours was running (e.g. a thread the submission started
                # killed the process): retry, but never more often than there are steps
                if restarts > len(calls) + len(cells) + 1:
                    break
            else:  # startup: the interpreter or the prelude failed; nothing can run
                tail = out_path.read_text(errors="replace")[-800:] if out_path.exists() else ""
                for j in range(len(calls)):
                    call_res[j] = call_res[j] or StepResult(False, f"the sandbox {why} before any code ran")
                return RunResult(cell_res, call_res, tail, restarts, time.monotonic() - t0, cpu, forbidden)
            if outcome == "garbled":
                break
        for j, r in enumerate(call_res):
            if r is None:
                call_res[j] = StepResult(False, "not run: the notebook's time limit was reached"
                                         if time.monotonic() >= t0 + limits.notebook_seconds
                                         else "not run: the submission broke the grader's channel")
        tail = out_path.read_text(errors="replace")[-2000:] if out_path.exists() else ""
    return RunResult(cell_res, call_res, tail, restarts, time.monotonic() - t0, cpu, forbidden)
