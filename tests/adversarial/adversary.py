"""Hostile submissions, built from ``attacks/*.py`` and graded by the real command.

Each attack file is data: a header of ``# key: value`` lines, then the code of
one or more answer cells, each after a ``# %% <grade_id>`` line (``# %% <grade_id>
+dup`` inserts an extra copy of that cell *before* it). Every answer cell the
attack does not replace gets the instructor's reference solution. Header keys:

``kind``     what the attack does (one line, for the table)
``expect``   what must happen
``max``      ``task=points ...`` upper bounds (``all=0``); every other task must get
             full points
``see``      a regular expression that must appear in the student's feedback
``never``    one that must not (placeholders allowed in both)
``tamper``   a structural change of the notebook or folder (see :func:`_tamper`)
``order``    ``0`` and ``1`` are graded first (slow attacks: they overlap the rest)
``batch``    ``main`` (default) or ``own``: graded in a batch of its own (with an honest
             control), for attacks that stop the whole grade command
``replay``   ``yes``: graded a second time to check that grading is deterministic
``xfail``    a known, reported weakness outside the files the suite may fix:
             ``[score|feedback|batch: ]reason`` (the test it makes fail)
``use``      a helper of :data:`SNIPPETS` to put before the attack's first cell code

Placeholders ``@@NAME@@`` in code and headers are filled in per session
(:meth:`Session.placeholders`): MARKER (unique to the attack: on every file it
writes and every process it starts), REPO, SITE, DB, KEY, TOKEN, PORT,
ABSTRACT, SUBMISSIONS and the CANARY_* files.

Run ``python tests/adversarial/adversary.py`` to grade every attack once and
print the table of what happened.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ATTACKS = HERE / "attacks"
ASSIGNMENT = "ch01_neuron"
def _points() -> tuple[dict, float]:
    """Each graded function's points, and the notebook's maximum (autograded + by hand), from its source."""
    from nncourse.grading import notebook as nbmod

    layout = nbmod.Layout.of(json.loads((ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()))
    tasks = {layout.task_of_test(t): float(p) for t, p in layout.tests.items()}
    return tasks, sum(layout.tests.values()) + sum(layout.written.values())


TASKS, MAX_SCORE = _points()   # the manual part is graded by hand: 0 here
WORKERS = 4  # `grade --workers`, on 2 cores too: the slow attacks mostly wait, the rest runs beside them
HEADER = re.compile(r"^# (kind|expect|max|see|never|tamper|order|batch|replay|xfail|use): ?(.*)$")
CELL = re.compile(r"^# %% (\w+)( \+dup)?\s*$")
GRADED = re.compile(r"^  graded (\S+): ")
SNIPPETS = {
    "channels": '''import fcntl as _fcntl
import os as _os


def _channels():
    """The grader's channel: the pipes this process may write to (found via /proc/self/fd)."""
    out = []
    for fd in _os.listdir("/proc/self/fd"):
        try:
            if (_os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:")
                    and _fcntl.fcntl(int(fd), _fcntl.F_GETFL) & _os.O_ACCMODE == _os.O_WRONLY):
                out.append(int(fd))
        except OSError:
            pass
    return out


''',
}


# ---------------------------------------------------------------- attacks as data
@dataclass
class Attack:
    name: str
    kind: str = ""
    expect: str = ""
    max: dict = field(default_factory=dict)
    see: list = field(default_factory=list)
    never: list = field(default_factory=list)
    tamper: list = field(default_factory=list)
    order: str = "5"
    batch: str = "main"
    replay: bool = False
    xfail: str = ""
    use: list = field(default_factory=list)
    cells: list = field(default_factory=list)  # (grade_id, dup, code)

    @property
    def student(self) -> str:
        return f"adv{self.order}-{self.name}"

    def bound(self, task: str) -> float:
        """The most ``task`` may score: its bound, or full points if untouched."""
        if task in self.max:
            return self.max[task]
        return self.max.get("all", TASKS[task])


def load_attacks() -> list[Attack]:
    out = []
    for path in sorted(ATTACKS.glob("*.py")):
        a = Attack(path.stem)
        cur = None
        for line in path.read_text().splitlines(keepends=True):
            m = CELL.match(line)
            if m:
                cur = [m.group(1), bool(m.group(2)), ""]
                a.cells.append(cur)
                continue
            if cur is not None:
                cur[2] += line
                continue
            h = HEADER.match(line.rstrip("\n"))
            if not h:
                continue
            key, val = h.groups()
            if key == "max":
                a.max = {k: float(v) for k, v in (kv.split("=") for kv in val.split())}
            elif key in ("see", "never", "use"):
                getattr(a, key).append(val)
            elif key == "tamper":
                a.tamper.append(val.split(" ", 1) if " " in val else [val])
            elif key == "replay":
                a.replay = val.strip() == "yes"
            else:
                setattr(a, key, val.strip())
        out.append(a)
    return out


def solution_cells() -> dict[str, str]:
    """The reference answers, from the instructor's notebook."""
    nb = json.loads((ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    out = {}
    for c in nb["cells"]:
        m = c.get("metadata", {}).get("nbgrader", {})
        if m.get("solution") and c["cell_type"] == "code":
            src = "".join(c["source"])
            out[m["grade_id"]] = re.sub(r"[ \t]*### (BEGIN|END) SOLUTION\n?", "", src)
    return out


def _gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _fill(text: str, ph: dict[str, str]) -> str:
    return re.sub(r"@@([A-Z_]+)@@", lambda m: ph[m.group(1)], text)


def build(attack: Attack, subs: Path, ph: dict[str, str]) -> Path:
    """Write ``subs/<student>/ch01_neuron/...`` for ``attack``; return the folder."""
    release = json.loads((ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    sol = solution_cells()
    nb = copy.deepcopy(release)
    for c in nb["cells"]:
        if _gid(c) in sol:
            c["source"] = sol[_gid(c)]
    for n, (gid, dup, code) in enumerate(attack.cells):
        code = _fill(code, ph)
        if n == 0:
            code = "".join(SNIPPETS[u] for u in attack.use) + code
        k = [j for j, c in enumerate(nb["cells"]) if _gid(c) == gid][-1]  # the original: last
        if dup:
            extra = copy.deepcopy(nb["cells"][k])
            extra["source"] = code
            nb["cells"].insert(k, extra)
        else:
            nb["cells"][k]["source"] = code
    folder = subs / attack.student / ASSIGNMENT
    folder.mkdir(parents=True)
    target = folder / f"{ASSIGNMENT}.ipynb"
    data = None
    for op in attack.tamper:
        nb, target, data = _tamper(op[0], _fill(op[1], ph) if len(op) > 1 else "", nb, target, data, folder, sol)
        if nb is None and data is None:
            return folder  # the op wrote the notebook itself
    if data is None:
        data = json.dumps(nb, indent=1).encode()
    target.write_bytes(data)
    return folder


def _tamper(op: str, arg: str, nb, target: Path, data, folder: Path, sol):
    """One structural change. Returns (notebook, file to write, bytes or None)."""
    cells = nb["cells"] if isinstance(nb, dict) else None
    if op == "delete":          # delete <grade_id> | delete tests
        nb["cells"] = [c for c in cells
                       if not (_gid(c) == arg or (arg == "tests" and str(_gid(c)).startswith("test_")))]
    elif op == "set-source":    # set-source <grade_id> <json>
        gid, val = arg.split(" ", 1)
        next(c for c in cells if _gid(c) == gid)["source"] = json.loads(val)
    elif op == "set-meta":      # set-meta <grade_id> <key> <json>
        gid, key, val = arg.split(" ", 2)
        next(c for c in cells if _gid(c) == gid)["metadata"]["nbgrader"][key] = json.loads(val)
    elif op == "dup-cell":      # dup-cell <grade_id>: a plain copy right after it
        k = next(j for j, c in enumerate(cells) if _gid(c) == arg)
        cells.insert(k + 1, copy.deepcopy(cells[k]))
    elif op == "add-cell":      # add-cell <json cell>
        cells.append(json.loads(arg))
    elif op == "truncate":      # truncate <bytes>: malformed JSON
        data = json.dumps(nb, indent=1).encode()[: int(arg)]
    elif op == "empty":
        data = b""
    elif op == "cells-not-list":
        nb["cells"] = {str(j): c for j, c in enumerate(cells)}
    elif op == "deep-json":     # nested deeper than any JSON parser's recursion limit
        data = b'{"cells": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    elif op == "rename":
        target = target.with_name(arg)
    elif op == "extra-notebook":  # a second notebook, with every reference answer
        good = copy.deepcopy(nb)
        for c in good["cells"]:
            if _gid(c) in sol:
                c["source"] = sol[_gid(c)]
        (folder / arg).write_text(json.dumps(good))
    elif op == "symlink":       # the notebook is a link to another file
        target.symlink_to(arg)
        return None, target, None
    elif op == "timestamp":
        (folder / "timestamp.txt").write_text(arg)
    elif op == "folder":        # folder <python bytes literal>: rename the student folder
        import ast
        new = bytes(folder.parent.parent) + b"/" + ast.literal_eval(arg)
        os.rename(bytes(folder.parent), new)
        folder = Path(os.fsdecode(new)) / ASSIGNMENT
        target = folder / target.name
    else:
        raise ValueError(f"unknown tamper op {op!r}")
    return nb, target, data


# ---------------------------------------------------------------- the session
def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def marker_procs(prefix: str) -> dict[str, list[str]]:
    """Live processes whose command line holds ``prefix + name + "-x"``, by name
    (one pass over /proc; zombies are not alive)."""
    pat = re.compile(re.escape(prefix) + r"(\S+?)-x")
    out: dict[str, list[str]] = {}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit() or int(p.name) == os.getpid():
            continue
        try:
            cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if prefix not in cmd:
                continue
            state = next((ln for ln in (p / "status").read_text().splitlines() if ln.startswith("State:")), "")
        except OSError:
            continue
        if "zombie" not in state:
            for name in set(pat.findall(cmd)):
                out.setdefault(name, []).append(f"{p.name}: {cmd[:200]}")
    return out


class Listener:
    """A TCP server on 127.0.0.1 and an abstract unix socket: records every connection."""

    def __init__(self, abstract: str):
        self.hits: list[str] = []
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind("\0" + abstract)
        self.unix.listen()
        self.stop = False
        for s in (self.tcp, self.unix):
            s.settimeout(0.2)
            threading.Thread(target=self._serve, args=(s,), daemon=True).start()

    def _serve(self, s):
        while not self.stop:
            try:
                conn, addr = s.accept()
            except (TimeoutError, OSError):
                continue
            self.hits.append(f"{s.family.name} connection from {addr!r}")
            conn.close()

    def close(self):
        self.stop = True
        time.sleep(0.3)
        self.tcp.close()
        self.unix.close()


@dataclass
class Run:
    """One ``nncourse grade`` command and what could be observed of it."""

    students: list
    rc: int = -1
    wall: float = 0.0
    output: str = ""
    report: str = ""
    csv: dict = field(default_factory=dict)        # student -> (score, max_score)
    scores: dict = field(default_factory=dict)     # student -> task -> score
    alive_after: dict = field(default_factory=dict)  # student -> processes with its marker
    graded_at: dict = field(default_factory=dict)  # student -> seconds after the start
    seen_alive: dict = field(default_factory=dict)  # student -> processes seen during the run


def split_report(text: str, students: list[str]) -> dict[str, str]:
    """The report's section of each student (headers in sorted order; student
    text cannot open a section out of turn)."""
    order, out, cur, k = sorted(students), {}, None, 0
    for line in text.split("\n"):
        if k < len(order) and line.startswith(f"{ASSIGNMENT} / {order[k]}: ") \
                and line.endswith(" autograded points"):
            cur, k = order[k], k + 1
            out[cur] = []
        if cur is not None:
            out[cur].append(line)
    return {s: "\n".join(v).strip() for s, v in out.items()}


class Session:
    """Everything one test session builds, runs and checks, in ``base``."""

    def __init__(self, base: Path):
        self.base = base
        self.id = secrets.token_hex(4)
        self.attacks = load_attacks()
        self.key = secrets.token_hex(16)
        self.token = "tok-" + secrets.token_hex(12)
        self.abstract = f"adv-{self.id}"
        site = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "numpy").is_dir())
        self.site = site
        home = Path(os.path.expanduser("~"))
        self.canaries = {
            "CANARY_TMP": Path("/tmp") / f"adv-canary-{self.id}",
            "CANARY_REPO": ROOT / ".pytest_cache" / f"adv-canary-{self.id}",
            "CANARY_HOME": home / f".adv-canary-{self.id}",
            "CANARY_SITE": site / f"adv-canary-{self.id}.txt",
        }
        # files write_outside appends to (checked for its marker afterwards)
        self.protected = [ROOT / "nncourse" / "grading" / "harness.py", site / "numpy" / "__init__.py",
                          ROOT / "autograder" / ASSIGNMENT / "checks.py"]
        # where a file written by an attack would land (searched for MARKER afterwards)
        self.search_dirs = [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"), home, ROOT,
                            ROOT / "solutions" / ASSIGNMENT, ROOT / "autograder", site, self.base]
        self.db = self.base / "gradebook.db"
        self.listener: Listener | None = None

    def marker(self, a: Attack) -> str:
        return f"advmark-{self.id}-{a.name}-x"

    def placeholders(self, a: Attack) -> dict[str, str]:
        ph = {"MARKER": self.marker(a), "REPO": str(ROOT), "SITE": str(self.site),
              "DB": str(self.db), "KEY": self.key, "TOKEN": self.token,
              "PORT": str(self.listener.port if self.listener else 9), "ABSTRACT": self.abstract,
              "SUBMISSIONS": str(self.base / "main")}
        ph.update({k: str(v) for k, v in self.canaries.items()})
        return ph

    def env(self) -> dict[str, str]:
        env = dict(os.environ, NNCOURSE_GRADER_KEY=self.key, ADV_INSTRUCTOR_TOKEN=self.token,
                   PYTHONWARNINGS="ignore")
        return env

    # ---------------------------------------------------------------- building
    def build(self, name: str, attacks: list[Attack]) -> tuple[Path, list[str]]:
        subs = self.base / name
        subs.mkdir()
        for a in attacks:
            build(a, subs, self.placeholders(a))
        students = sorted(os.fsdecode(p.name) for p in subs.iterdir())
        return subs, students

    # ---------------------------------------------------------------- running
    def grade(self, subs: Path, tag: str, students: list[str], watch: dict[str, str],
              db: Path | None = None, workers: int = WORKERS, first: threading.Event | None = None,
              timeout: float = 600) -> Run:
        """``nncourse grade`` on ``subs``; while it runs, look for each student's
        processes (by marker) as soon as the command reports that student graded.
        ``first`` is set when the first student is graded (or the command ends)."""
        run = Run(students)
        exe = Path(sys.executable).with_name("nncourse")
        db = db or self.base / f"{tag}.db"
        report, csv_path = self.base / f"{tag}-report.txt", self.base / f"{tag}.csv"
        cmd = [str(exe), "grade", ASSIGNMENT, "--submissions", str(subs), "--db-url", f"sqlite:///{db}",
               "--csv", str(csv_path), "--report", str(report), "--workers", str(workers), "--verbose",
               "--checks-csv", str(self.base / f"{tag}-checks.csv")]
        seen: dict[str, set] = {}
        stop = threading.Event()
        prefix = f"advmark-{self.id}-"
        name_of = {m[len(prefix):-2]: st for st, m in watch.items()}  # marker name -> student

        def poll():  # evidence that the attacks' processes existed while grading
            while not stop.is_set():
                for name, procs in marker_procs(prefix).items():
                    if name in name_of:
                        seen.setdefault(name_of[name], set()).update(procs)
                stop.wait(0.25)

        poller = threading.Thread(target=poll, daemon=True)
        t0 = time.monotonic()
        poller.start()
        with open(self.base / f"{tag}.stderr", "wb") as err:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=self.base, env=self.env(),
                                    start_new_session=True)
            killer = threading.Timer(timeout, lambda: os.killpg(proc.pid, 9))  # a hung command
            killer.start()
            lines = []
            for raw in proc.stdout:
                line = raw.decode(errors="replace").rstrip("\n")
                lines.append(line)
                m = GRADED.match(line)
                if m and first is not None:
                    first.set()
                if m:
                    st = m.group(1)
                    run.graded_at[st] = round(time.monotonic() - t0, 2)
                    if st in watch:  # nothing it started may outlive its grading
                        run.alive_after[st] = marker_procs(prefix).get(watch[st][len(prefix):-2], [])
            run.rc = proc.wait()
            killer.cancel()
        if first is not None:
            first.set()
        run.wall = time.monotonic() - t0
        stop.set()
        poller.join()
        run.seen_alive = {s: sorted(v) for s, v in seen.items()}
        run.output = "\n".join(lines[-200:]) + "\n" + (self.base / f"{tag}.stderr").read_text(errors="replace")[-4000:]
        run.report = report.read_text(errors="replace") if report.exists() else ""
        if csv_path.exists():
            for row in csv.DictReader(csv_path.open()):
                if row["assignment"] == ASSIGNMENT:
                    run.csv[row["student_id"]] = (row["score"], row["max_score"])
        run.scores = read_gradebook(f"sqlite:///{db}", students)
        return run


def read_gradebook(db_url: str, students: list[str]) -> dict:
    from nbgrader.api import Gradebook, MissingEntry

    out: dict = {}
    try:
        with Gradebook(db_url) as gb:
            for s in students:
                try:
                    out[s] = {t: gb.find_grade(f"test_{t}", ASSIGNMENT, ASSIGNMENT, s).score for t in TASKS}
                except MissingEntry:
                    out[s] = None
    except Exception:  # noqa: BLE001 - no gradebook at all
        pass
    return out


def run_all(base: Path) -> dict:
    """Build and grade everything, check the machine afterwards; return plain data.

    Three kinds of ``nncourse grade`` run at the same time: the main batch (every
    attack), the replay (the same submissions of the ``replay: yes`` attacks again,
    into a gradebook of its own) and one batch per ``batch: own`` attack."""
    s = Session(base)
    canary_text = {}
    for k, p in s.canaries.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        canary_text[k] = f"canary {k} {secrets.token_hex(8)}\n"
        p.write_text(canary_text[k])
    s.listener = Listener(s.abstract)
    result: dict = {"session": s.id, "attacks": [asdict(a) for a in s.attacks], "runs": {}}
    own = [a for a in s.attacks if a.batch == "own"]
    main = [a for a in s.attacks if a.batch != "own"]
    ctrl = next(a for a in s.attacks if a.name == "control_honest")
    students_all: set[str] = set()
    try:
        subs, students = s.build("main", main)
        students_all |= set(students)
        sub_hashes = {str(p): _sha(p) for p in subs.rglob("*") if p.is_file()}
        jobs: dict[str, tuple] = {"main": (subs, students, {a.student: s.marker(a) for a in main}, s.db)}
        rsubs = base / "replay"
        rsubs.mkdir()
        for a in main:
            if a.replay:
                shutil.copytree(subs / a.student, rsubs / a.student, symlinks=True)
        jobs["replay"] = (rsubs, sorted(a.student for a in main if a.replay), {}, None)
        for a in own:
            osubs, ostudents = s.build(f"own-{a.name}", [a, ctrl])
            students_all |= set(ostudents)
            jobs[f"own-{a.name}"] = (osubs, ostudents, {a.student: s.marker(a)}, None)
        runs: dict[str, Run] = {}
        started = threading.Event()  # the others start once the main batch's sandboxes run

        def job(tag, subs_dir, students, watch, db):
            try:
                kw = {"first": started} if tag == "main" else {"workers": 2}
                runs[tag] = s.grade(subs_dir, tag, students, watch, db, **kw)
            finally:
                started.set()

        threads = [threading.Thread(target=job, args=(tag, *j)) for tag, j in jobs.items()]
        threads[0].start()
        started.wait()
        for t in threads[1:]:
            t.start()
        for t in threads:
            t.join()
        for tag in jobs:
            result["runs"][tag] = asdict(runs[tag])
        result["submissions_unchanged"] = {p: _sha(Path(p)) == h for p, h in sub_hashes.items()}
    finally:
        s.listener.close()
        result["connections"] = s.listener.hits
        result["leftover_processes"] = sum(marker_procs(f"advmark-{s.id}-").values(), [])
        result["canaries"] = {k: (p.read_text() if p.exists() else None) == canary_text[k]
                              for k, p in s.canaries.items()}
        # files attacks append to: other people may edit them meanwhile, so look for the marker
        result["protected"] = {}
        for p in s.protected:
            try:
                result["protected"][str(p)] = f"advmark-{s.id}".encode() not in p.read_bytes()
            except OSError:
                result["protected"][str(p)] = False
        found = []
        for d in s.search_dirs:
            try:
                names = list(d.rglob("*")) if d == s.base else [d / n for n in os.listdir(d)]
            except OSError:
                continue
            found += [str(p) for p in names if f"advmark-{s.id}" in p.name]
        result["marker_files"] = found
        for p in s.canaries.values():
            p.unlink(missing_ok=True)
        for st in students_all:  # the grade command also writes graded notebooks into the repo
            shutil.rmtree(ROOT / "autograder" / "autograded" / st, ignore_errors=True)
        result["secrets"] = {"key": s.key, "token": s.token}
    return result


# ---------------------------------------------------------------- the table
def what_was_seen(section: str, tasks: list[str]) -> list[str]:
    """The lines of a student's feedback that tell what happened: messages about the
    whole notebook, then, for each of ``tasks``, its note or first failed check."""
    msgs, first, cur = [], {}, None
    for line in section.splitlines()[1:]:
        m = re.match(r"^(\w+): [\d.]+ / [\d.]+ points$", line)
        if m:
            cur = m.group(1)
        elif line.startswith("  ! "):
            msgs.append(line[4:])
        elif cur in tasks and cur not in first and (line.startswith("  ✘ ") and " check: " not in line
                                                    or line.startswith("      -> ")):
            first[cur] = line.strip().lstrip("✘->").strip()
    return msgs + [f"{t}: {first[t]}" for t in tasks if t in first]


def table(result: dict) -> str:
    """kind | what happened (score, message the student saw), from the runs' reports."""
    attacks = [Attack(**a) for a in result["attacks"]]
    rows = ["| kind | score | what the student saw |", "|---|---|---|"]
    for a in attacks:
        run = result["runs"].get("main" if a.batch != "own" else f"own-{a.name}")
        if run is None:
            continue
        sec = split_report(run["report"], run["students"]).get(a.student, "")
        sc = (run["scores"] or {}).get(a.student)
        touched = [t for t in TASKS if a.bound(t) < TASKS[t]]
        if sc:
            score = f"{sum(v or 0 for v in sc.values()):g}/8" + "".join(
                f", {t} {sc.get(t) or 0:g}/{TASKS[t]:g}" for t in touched)
        else:
            score = f"not in the gradebook (grade command exit status {run['rc']})"
        seen = what_was_seen(sec, touched or list(TASKS))
        if not sec and run["rc"] != 0:
            last = [ln for ln in run["output"].splitlines() if ln.startswith("error:")]
            seen = [f"(the whole grade command stopped: {(last or ['?'])[-1][:160]})"]
        text = ("; ".join(seen[:4]) or "(every check passed)")[:400]
        cells = (f"{a.name}: {a.kind}", score, text)
        rows.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="adversarial-"))
    res = run_all(base)
    (base / "result.json").write_text(json.dumps(res, indent=1))
    print(table(res))
    print(f"main: exit {res['runs']['main']['rc']}, {res['runs']['main']['wall']:.1f} s; files in {base}",
          file=sys.stderr)
