"""The book as files: its pages, its chapters, and what their code cells print.

Used by the tests and by ``benchmarks/course.py`` to check that every chapter
is deterministic: run again, a chapter prints what the built book shows.

``printed(nb)`` is the text a reader sees under each code cell (standard
output and error, and the plain-text, Markdown or LaTeX form of results and
displays; images and HTML are left out). ``normalise(text, chapter)`` removes
what may rightly differ between two runs on the same machine, and nothing
else:

1. progress bars (tqdm): lines such as `` 40%|####  | 2/5 [00:03<00:04, 1.2s/it]``
   are dropped; they show elapsed time;
2. durations: a number followed by a unit of time (``12.3 ms``, ``4 s``,
   ``90 seconds``, ``1.5 min``) becomes ``<time>`` and its unit, the spaces
   that pad it to a column width included;
3. lines marked as timing-only: on a line that says ``(timing)`` (chapter 9's
   convention: ``throughput: 1,234 tokens/s   (timing)``), every number
   (with its padding) becomes ``#``; so it does on a line that matches one of
   the patterns of ``TIMING_ONLY[chapter]`` (timings printed without that
   mark: ratios of two timings, a column of seconds in a table), or, when the
   pattern has groups, in what its groups match; a line that is only
   ``(timing)`` hides the rest of its cell's text (chapter 9's profiler table:
   every row is a timing, and the rows are sorted by time);
4. object addresses (``at 0x7f...``) become ``at 0x?``;
5. torch.profiler's trace markers on stderr (``USDT:<date> <time> <pid>:<tid>
   ...] profiler_start``) are dropped; the book hides that cell's stderr.

Everything else, every loss, accuracy, gradient and sample, must be equal
character for character.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
HTML = BUILD / "html"
CACHE = BUILD / ".jupyter_cache"                 # _config.yml: execute.cache
STATUS = BUILD / ".book-build-status.json"       # written after every build_once() build
BUILD_ARGS = ["build", ".", "--warningiserror", "--keep-going"]   # what `make book` runs
# What the built book is made of: a build is reused only when none of these changed since.
INPUT_DIRS = ("book", "exercises", "benchmarks/results")
INPUT_FILES = ("_config.yml", "_toc.yml")

TIMING_MARK = "(timing)"    # a printed line that says this shows timings only
# Lines that show timings without that mark or a unit next to each number, per chapter:
# each pattern is a regular expression searched in the line.
TIMING_ONLY: dict[str, list[str]] = {
    "ch04_backprop": [r"x forward\)$", r"x faster\)$"],          # "(3.1 x forward)", "(NumPy 180 x faster)"
    "ch06_cnn": [r"x faster\)$",                                 # "(45x faster)"
                 r"^(?:CNN|MLP)\s+[\d,]+\s+\d+(\s+\d+)\s"],    # model table: its seconds column
}

_BAR = re.compile(r"\d+%\|.*\|\s*\d+/\d+\s*\[.*(it/s|s/it|\?)")
_DURATION = re.compile(r"(?<![\w.])\d[\d,]*(\.\d+)?(e[-+]?\d+)?(\s*)(ms|µs|us|ns|s|sec|seconds?|min|minutes?)"
                       r"(?=$|[\s),;:]|\.(?:\s|$))")
_ADDRESS = re.compile(r"at 0x[0-9a-f]+")
# torch.profiler's trace markers on stderr: "USDT:<date> <time> <pid>:<tid> <file>:<line>] profiler_start"
_PROFILER_TRACE = re.compile(r"^USDT:\S+ \S+ \d+:\d+ \S+\] ")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(\.\d+)?(e[-+]?\d+)?%?")
_PADDING = re.compile(r" +(?=<time>|#)")   # the spaces that pad a masked number to a column


# ---------------------------------------------------------------- pages
def toc_pages(root: Path = ROOT) -> list[str]:
    """Every page of the table of contents, as a path without suffix (``book/ch01_neuron``)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                pages.append(e["file"])
            walk(e.get("sections"))
            walk(e.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return pages


def chapters(root: Path = ROOT) -> list[str]:
    """The numbered chapters (``book/chNN_name``), in book order."""
    return [p for p in toc_pages(root) if re.fullmatch(r"ch\d\d_\w+", Path(p).name)]


# ---------------------------------------------------------------- building
def jupyter_book() -> str:
    for cand in (Path(sys.executable).parent / "jupyter-book", ROOT / ".venv" / "bin" / "jupyter-book"):
        if cand.is_file():
            return str(cand)
    raise FileNotFoundError("jupyter-book not found next to this Python or in .venv/bin: run `make setup`")


def _newest_input() -> float:
    newest = max((ROOT / f).stat().st_mtime for f in INPUT_FILES)
    for d in INPUT_DIRS:
        for p in (ROOT / d).rglob("*"):
            if p.is_file() and ".ipynb_checkpoints" not in p.parts:
                newest = max(newest, p.stat().st_mtime)
    return newest


def _fresh_build_status(run: str | None) -> dict | None:
    """The status of the last build if nothing changed since and it succeeded,
    or it failed in this same ``run`` (building again would fail again)."""
    try:
        status = json.loads(STATUS.read_text())
    except (OSError, ValueError):
        return None
    if status.get("command") != BUILD_ARGS or STATUS.stat().st_mtime <= _newest_input():
        return None
    if status.get("returncode") == 0 and (HTML / "index.html").is_file():
        return status
    return status if run is not None and status.get("run") == run else None


def build_once(run: str | None = None, timeout: float = 2400) -> dict:
    """Build the book (``make book``'s command) unless a fresh successful build
    exists; return its status: command, returncode, seconds, log_tail, reused.

    A lock file serialises this between processes (pytest-xdist workers): the
    first builds, the others wait, then find the fresh build and reuse it. A
    failed build is reused only within the same ``run`` (by default the
    workers of one pytest-xdist run, ``PYTEST_XDIST_TESTRUNUID``, or else this
    process), so that one run never builds a failing book twice.
    """
    run = run or os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"process {os.getpid()}"
    BUILD.mkdir(exist_ok=True)
    with open(BUILD / ".book-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        status = _fresh_build_status(run)
        if status is not None:
            return dict(status, reused=True)
        t0 = time.monotonic()
        try:
            proc = subprocess.run([jupyter_book(), *BUILD_ARGS], cwd=ROOT, capture_output=True,
                                  text=True, timeout=timeout)
            rc, out = proc.returncode, proc.stdout + proc.stderr
        except subprocess.TimeoutExpired as e:
            rc, out = -1, f"timed out after {timeout} s\n{e.stdout or ''}{e.stderr or ''}"
        status = {"command": BUILD_ARGS, "returncode": rc, "seconds": round(time.monotonic() - t0, 1),
                  "run": run, "log_tail": out[-6000:]}
        STATUS.write_text(json.dumps(status, indent=1))
        return dict(status, reused=False)


# ---------------------------------------------------------------- running
def read(page: str, root: Path = ROOT):
    """The page as a notebook, read exactly as the book build reads it (myst-nb)."""
    from myst_nb.core.read import read_myst_markdown_notebook

    path = root / f"{page}.md"
    return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), path=path)


def execute(page: str, root: Path = ROOT, timeout: int = 600):
    """A fresh run of the page in a new kernel, in its folder (as the build runs it)."""
    from nbclient import NotebookClient

    nb = read(page, root)
    # the kernel's own log: errors only (not its warning, on every start, that
    # it talks to this process over local TCP without encryption)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"],
                   resources={"metadata": {"path": str((root / page).parent)}}).execute()
    return nb


def cached(page: str, cache_dir: Path = CACHE, root: Path = ROOT):
    """The page as the book build executed it, from its execution cache
    (``KeyError`` when the cache holds no run of the page's current code)."""
    from jupyter_cache import get_cache

    _, nb = get_cache(str(cache_dir)).merge_match_into_notebook(read(page, root))
    return nb


# ---------------------------------------------------------------- comparing
def printed(nb) -> list[str]:
    """What each code cell shows as text, in order (one string per code cell)."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        text = ""   # streams joined as written (one print may arrive in several chunks)
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                text += o.text
                continue
            if o.output_type in ("execute_result", "display_data"):
                data = o.get("data", {})
                if "application/vnd.jupyter.widget-view+json" in data:
                    shown = data.get("text/plain", "")   # a progress bar's text form
                else:
                    shown = next((data[k] for k in ("text/markdown", "text/latex", "text/plain") if k in data), "")
            elif o.output_type == "error":
                shown = f"{o.ename}: {o.evalue}"
            else:
                continue
            text += ("\n" if text and not text.endswith("\n") else "") + shown + "\n"
        out.append(text.rstrip("\n"))
    return out


def normalise(text: str, chapter: str = "") -> str:
    """The text with what may differ between two runs masked (see the module's docstring)."""
    patterns = [re.compile(p) for p in TIMING_ONLY.get(Path(chapter).name, [])]
    lines = []
    for line in text.replace("\r", "\n").split("\n"):
        if _BAR.search(line) or _PROFILER_TRACE.search(line):
            continue
        if line.strip() == TIMING_MARK:      # the rest of the cell shows timings only
            lines.append(line)
            break
        if TIMING_MARK in line:
            line = _NUMBER.sub("#", line)
        for p in patterns:
            m = p.search(line)
            if m and p.groups:
                for g in range(p.groups, 0, -1):   # right to left: earlier spans stay valid
                    line = line[:m.start(g)] + _NUMBER.sub("#", m.group(g)) + line[m.end(g):]
            elif m:
                line = _NUMBER.sub("#", line)
        line = _DURATION.sub(lambda m: f"<time>{m.group(3)}{m.group(4)}", line)
        line = _PADDING.sub(" ", line)
        lines.append(_ADDRESS.sub("at 0x?", line))
    return "\n".join(lines)


def differences(first, second, chapter: str = "", most: int = 5) -> list[str]:
    """Where two runs of a chapter print different text, after ``normalise``:
    up to ``most`` descriptions (cell number, first differing line of each)."""
    a, b = printed(first), printed(second)
    if len(a) != len(b):
        return [f"{len(a)} code cells against {len(b)}"]
    out = []
    for k, (x, y) in enumerate(zip(a, b), start=1):
        x, y = normalise(x, chapter), normalise(y, chapter)
        if x != y:
            xl, yl = x.split("\n"), y.split("\n")
            i = next((i for i, (p, q) in enumerate(zip(xl, yl)) if p != q), min(len(xl), len(yl)))
            out.append(f"code cell {k}, line {i + 1}: {_line(xl, i)!r} != {_line(yl, i)!r}")
    return out[:most]


def _line(lines: list[str], i: int) -> str:
    return lines[i] if i < len(lines) else "<no line>"


# ---------------------------------------------------------------- reading the prose
PROSE_WORDS_MAX = 4500     # a chapter is read in one sitting (issue 15)
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_PROSE_DIRECTIVE = re.compile(r"\{(admonition|note|tip|important|warning|caution|attention|seealso|"
                              r"hint|margin|sidebar|figure|epigraph|topic|dropdown)\b")


def prose(page: str, root: Path = ROOT) -> str:
    """The text a reader reads on ``page``: its Markdown without the front matter,
    code cells and other fenced code, display math (``$$ ... $$`` and ``{math}``),
    directive options, HTML comments and link targets; inline math stays (one word)."""
    text = (root / f"{page}.md").read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text[text.index("\n---", 3) + 4:]
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    out, fence, skipping = [], None, False
    for line in text.splitlines():
        m = _FENCE.match(line.strip())
        if fence is None and m:
            info = line.strip()[len(m.group(1)):].strip()
            fence = m.group(1)
            # prose directives (admonitions, figures) keep their text; code and math do not
            skipping = not _PROSE_DIRECTIVE.match(info)
            continue
        if fence is not None and line.strip() == fence:
            fence, skipping = None, False
            continue
        if skipping or re.match(r"^\s*:[\w-]+:", line):      # directive options (:class: tip)
            continue
        out.append(line)
    text = "\n".join(out)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)                 # display math
    text = re.sub(r"(?<!\\)\$[^$\n]+\$", " x ", text)                    # inline math: one word
    text = re.sub(r"\]\([^)]*\)", "]", text)                              # link targets
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " x ", text)                     # roles: {ref}`...`, {glue:text}`...`
    return text


def prose_words(page: str, root: Path = ROOT) -> int:
    """How many words of prose ``page`` has (see :func:`prose`)."""
    return len(_WORD.findall(prose(page, root)))
