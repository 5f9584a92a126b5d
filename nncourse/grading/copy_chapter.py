"""The copy-the-chapter submission: what a student earns by pasting the book.

The syllabus ("What an exercise is") promises that the book never prints a
graded answer. This module measures it the way a student would try it. For
the assignment of chapter K and each of its answer cells, the candidates are

(a) every definition with the same name (function or class) that chapters
    1..K show, and
(b) every function chapter K shows whose parameters (their names, in order)
    are those of the graded function, renamed to the graded name;

each pasted into the answer cell with only ``import numpy as np`` (plus
``import torch``, ``torch.nn as nn`` and ``torch.nn.functional as F`` for a
torch answer). "Shown" means what a reader of the built page sees: code cells
whose input is not removed (``remove-input``/``remove-cell`` tags), Python
code fences in the prose, the code a ``literalinclude`` directive shows, and
the source that ``inspect.getsource(...)`` prints where the cell's output is
not removed. Everything is read from the book's sources, so a new chapter is
covered without edits.

Submission ``copy_r`` holds the r-th candidate of every cell that has one;
all are graded with the real ``nncourse grade`` command, and a cell scores
its best candidate's points. ``python -m nncourse.grading.copy_chapter
[assignment ...]`` prints the table.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import re
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from .. import book
from . import checks as checks_mod
from . import notebook as nbmod
from .grader import ROOT, source_path
from .testing import make_submission, read_scores, run_grade

NUMPY_HEADER = "import numpy as np\n\n"
TORCH_HEADER = "import numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n"
HIDDEN_INPUT = {"remove-input", "remove-cell"}
HIDDEN_OUTPUT = {"remove-output", "remove-cell"}
_FENCE = re.compile(r"^(`{3,}|:{3,})\s*(python|py|ipython3?|\{code-block\}\s+python|\{code\}\s+python)\s*$")
_INCLUDE = re.compile(r"^(`{3,}|:{3,})\s*\{literalinclude\}\s+(\S+)\s*$")


@dataclass(frozen=True)
class Shown:
    """A definition a chapter shows: a function or a class."""

    chapter: str          # chNN_name
    name: str
    params: tuple         # parameter names (a class: those of __init__ after self)
    source: str
    where: str            # how the page shows it (cell, fence, literalinclude, getsource)


# ---------------------------------------------------------------- definitions in code
def _params(fn: ast.FunctionDef | ast.AsyncFunctionDef, drop_self: bool = False) -> tuple:
    a = fn.args
    names = [x.arg for x in (*a.posonlyargs, *a.args)]
    if drop_self and names:
        names = names[1:]
    names += [f"*{a.vararg.arg}"] if a.vararg else []
    names += [x.arg for x in a.kwonlyargs]
    names += [f"**{a.kwarg.arg}"] if a.kwarg else []
    return tuple(names)


def _class_params(cls: ast.ClassDef) -> tuple:
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            return _params(node, drop_self=True)
    return ()


def _parse(code: str) -> ast.Module | None:
    """``code`` as a module; IPython magics and shell lines are dropped; None if it is not Python."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse(textwrap.dedent("\n".join(lines)))
    except SyntaxError:
        return None


def definitions(code: str, chapter: str, where: str) -> list[Shown]:
    """Every function (nested ones too, methods only as part of their class) and class in ``code``."""
    tree = _parse(code)
    if tree is None:
        return []
    text = textwrap.dedent("\n".join(line for line in code.splitlines()
                                     if not line.lstrip().startswith(("%", "!"))))
    out: list[Shown] = []

    def visit(node, in_class: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and not in_class:
                src = ast.get_source_segment(text, child) or ast.unparse(child)
                out.append(Shown(chapter, child.name, _params(child), textwrap.dedent(_with_decorators(text, child, src)),
                                 where))
                visit(child, False)
            elif isinstance(child, ast.ClassDef):
                src = ast.get_source_segment(text, child) or ast.unparse(child)
                out.append(Shown(chapter, child.name, _class_params(child),
                                 textwrap.dedent(_with_decorators(text, child, src)), where))
                visit(child, True)
            elif not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, in_class)

    visit(tree, False)
    return out


def _with_decorators(text: str, node, src: str) -> str:
    if not getattr(node, "decorator_list", None):
        return src
    lines = text.splitlines()
    first = min(d.lineno for d in node.decorator_list) - 1
    indent = len(lines[node.lineno - 1]) - len(lines[node.lineno - 1].lstrip())
    deco = "\n".join(line[indent:] for line in lines[first:node.lineno - 1])
    return deco + "\n" + src


# ---------------------------------------------------------------- what a page shows
def _tags(cell) -> set:
    tags = cell.get("metadata", {}).get("tags", [])
    return set(tags) if isinstance(tags, list) else set()


def _import_map(tree: ast.Module) -> dict[str, str]:
    """Names bound by imports: name -> dotted path (``get_device`` -> ``nncourse.gpu.get_device``)."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                out[a.asname or a.name] = f"{node.module}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                out[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
    return out


def _dotted(expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        base = _dotted(expr.value)
        return f"{base}.{expr.attr}" if base else None
    return None


def _resolve(path: str):
    """The object a dotted path names, importing the longest importable module prefix."""
    parts = path.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        for attr in parts[k:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(path)


def _getsource_targets(tree: ast.Module) -> list[str]:
    """The dotted expressions passed to ``inspect.getsource`` (or ``getsource``) in ``tree``."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            f = _dotted(node.func)
            if f in ("inspect.getsource", "getsource", "inspect.getsourcelines", "getsourcelines"):
                target = _dotted(node.args[0])
                if target:
                    out.append(target)
    return out


def _include_text(path: Path, options: dict[str, str]) -> str:
    text = path.read_text(encoding="utf-8")
    if "pyobject" in options:
        tree = ast.parse(text)
        obj = None
        for name in options["pyobject"].split("."):
            scope = obj.body if obj is not None else tree.body
            obj = next((n for n in scope if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                        and n.name == name), None)
            if obj is None:
                return ""
        return _with_decorators(text, obj, ast.get_source_segment(text, obj) or "")
    lines = text.splitlines()
    if "lines" in options:
        keep = []
        for part in options["lines"].split(","):
            lo, _, hi = part.strip().partition("-")
            lo_i = int(lo) if lo else 1
            hi_i = int(hi) if hi else (len(lines) if _ else lo_i)
            keep += lines[lo_i - 1:hi_i]
        lines = keep
    text = "\n".join(lines)
    if "start-after" in options and options["start-after"] in text:
        text = text.split(options["start-after"], 1)[1]
    if "end-before" in options and options["end-before"] in text:
        text = text.split(options["end-before"], 1)[0]
    return text


def _markdown_code(text: str, page_dir: Path) -> list[tuple[str, str]]:
    """(code, where) for every Python fence and ``literalinclude`` in Markdown ``text``."""
    out = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        inc, fence = _INCLUDE.match(line), _FENCE.match(line)
        if inc or fence:
            marker = (inc or fence).group(1)
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != marker:
                body.append(lines[i])
                i += 1
            if inc:
                options = {}
                for b in body:
                    m = re.match(r"^\s*:([\w-]+):\s*(.*?)\s*$", b)
                    if m:
                        options[m.group(1)] = m.group(2)
                path = (page_dir / inc.group(2)).resolve()
                if path.suffix == ".py" and path.is_file():
                    out.append((_include_text(path, options), f"literalinclude {inc.group(2)}"))
            else:
                code = "\n".join(b for b in body if not re.match(r"^\s*:[\w-]+:", b))
                out.append((code, "code fence"))
        i += 1
    return out


def shown_definitions(page: str, root: Path = ROOT) -> list[Shown]:
    """Every definition the page ``page`` (``book/chNN_name``) shows its reader."""
    nb = book.read(page, root)
    chapter = Path(page).name
    page_dir = (root / page).parent
    out: list[Shown] = []
    imports: dict[str, str] = {}
    for k, cell in enumerate(nb.cells):
        src = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        tags = _tags(cell)
        if cell.cell_type == "markdown":
            for code, where in _markdown_code(src, page_dir):
                out += definitions(code, chapter, f"{where} (cell {k})")
            continue
        if cell.cell_type != "code":
            continue
        tree = _parse(src)
        if tree is None:
            continue
        imports.update(_import_map(tree))
        if not tags & HIDDEN_INPUT:
            out += definitions(src, chapter, f"code cell {k}")
        if not tags & HIDDEN_OUTPUT:
            for target in _getsource_targets(tree):
                head, _, rest = target.partition(".")
                path = imports.get(head, head) + (f".{rest}" if rest else "")
                try:
                    code = inspect.getsource(_resolve(path))
                except (ImportError, AttributeError, TypeError, OSError):
                    continue  # defined in the page itself: its cell is read above
                out += definitions(code, chapter, f"inspect.getsource({target}) (cell {k})")
    return out


# ---------------------------------------------------------------- the submission
def chapter_number(name: str) -> int:
    m = re.match(r"ch(\d\d)_", Path(name).name)
    if not m:
        raise ValueError(f"not a chapter or assignment name: {name}")
    return int(m.group(1))


def graded_definitions(assignment: str) -> dict[str, list[tuple[str, tuple, str]]]:
    """Answer cell -> [(name, params, 'def'|'class')] of the definitions its reference holds."""
    nb, err = nbmod.load_json_notebook(source_path(assignment))
    if nb is None:
        raise RuntimeError(err)
    layout = nbmod.Layout.of(nb)
    answers = nbmod.extract_answers(nb, layout).code
    out = {}
    for gid in layout.code_answers:
        tree = _parse(answers.get(gid, "").replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
        defs = []
        for node in (tree.body if tree else []):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                defs.append((node.name, _params(node), "def"))
            elif isinstance(node, ast.ClassDef):
                defs.append((node.name, _class_params(node), "class"))
        out[gid] = defs
    return out


def _renamed(source: str, new: str) -> str:
    tree = ast.parse(source)
    node = tree.body[0]
    if node.name == new:
        return source
    node.name = new
    return ast.unparse(tree)


def candidates(assignment: str, root: Path = ROOT) -> dict[str, list[tuple[str, str]]]:
    """Answer cell -> [(pasted cell source, where it comes from)], best guesses first."""
    k = chapter_number(assignment)
    spec = checks_mod.load(assignment)
    pages = [p for p in book.chapters(root) if chapter_number(p) <= k]
    shown = {p: shown_definitions(p, root) for p in pages}
    own = next((p for p in pages if chapter_number(p) == k), None)
    out = {}
    for gid, defs in graded_definitions(assignment).items():
        header = TORCH_HEADER if gid in spec.torch_tasks else NUMPY_HEADER
        per_def = []
        for name, params, kind in defs:
            found, seen = [], set()
            for p in pages:
                for d in shown[p]:
                    same_name = d.name == name
                    same_params = p == own and kind == "def" and d.params == params and bool(params)
                    if (same_name or same_params) and d.source not in seen:
                        seen.add(d.source)
                        try:
                            code = _renamed(d.source, name)
                        except SyntaxError:
                            continue
                        found.append((code, f"{d.chapter} {d.where}: {d.name}"))
            per_def.append(found)
        rounds = max((len(f) for f in per_def), default=0)
        cell = []
        for r in range(rounds):
            parts = [f[r] for f in per_def if r < len(f)]
            cell.append((header + "\n\n".join(c for c, _ in parts), "; ".join(w for _, w in parts)))
        out[gid] = cell
    return out


@dataclass
class CopyResult:
    assignment: str
    points: dict[str, float]                       # test id -> points
    earned: dict[str, float] = field(default_factory=dict)
    best: dict[str, str] = field(default_factory=dict)       # test id -> where its best paste came from
    pasted: dict[str, int] = field(default_factory=dict)     # answer cell -> candidates graded

    @property
    def total(self) -> float:
        return sum(self.points.values())

    @property
    def total_earned(self) -> float:
        return sum(self.earned.values())

    @property
    def fraction(self) -> float:
        return self.total_earned / self.total if self.total else 0.0

    def report(self) -> str:
        lines = [f"{self.assignment}: the copy-the-chapter submission earns {self.total_earned:g} of "
                 f"{self.total:g} autograded points ({100 * self.fraction:.1f}%)"]
        for test_id, pts in self.points.items():
            got = self.earned.get(test_id, 0.0)
            src = f"  <- {self.best[test_id]}" if got > 0 and test_id in self.best else ""
            lines.append(f"  {test_id:<40} {got:>5g} / {pts:<4g}{src}")
        return "\n".join(lines)


def grade_copy(assignment: str, workdir: Path, root: Path = ROOT) -> CopyResult:
    """Build the copy-the-chapter submissions of ``assignment`` under ``workdir`` and grade them."""
    nb, _ = nbmod.load_json_notebook(source_path(assignment))
    layout = nbmod.Layout.of(nb)
    result = CopyResult(assignment, dict(layout.tests))
    cands = candidates(assignment, root)
    result.pasted = {gid: len(c) for gid, c in cands.items()}
    rounds = max((len(c) for c in cands.values()), default=0)
    if rounds == 0:
        result.earned = {t: 0.0 for t in layout.tests}
        return result
    subs = workdir / "submitted"
    for r in range(rounds):
        replace = {gid: c[r][0] for gid, c in cands.items() if r < len(c)}
        make_submission(assignment, subs / f"copy_{r}" / assignment / f"{assignment}.ipynb", replace, blank=True)
    proc, db, _, report = run_grade(assignment, subs, workdir)
    if proc.returncode != 0:
        raise RuntimeError(f"grading the copy-the-chapter submission of {assignment} failed:\n"
                           f"{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    scores = read_scores(db, assignment)
    for test_id in layout.tests:
        task = layout.task_of_test(test_id)
        best_r, best = None, 0.0
        for r in range(rounds):
            got = scores.get(f"copy_{r}", {}).get(test_id) or 0.0
            if got > best:
                best_r, best = r, got
        result.earned[test_id] = best
        if best_r is not None and task in cands and best_r < len(cands[task]):
            result.best[test_id] = cands[task][best_r][1]
    return result


def main(argv: list[str] | None = None) -> int:
    from . import release

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("assignments", nargs="*", help="default: every assignment")
    ap.add_argument("--show", action="store_true", help="print every pasted candidate's origin")
    ap.add_argument("--limit", type=float, default=0.05, help="fail (exit 1) above this fraction (0.05)")
    args = ap.parse_args(argv)
    bad = 0
    for a in args.assignments or release.assignments():
        if args.show:
            for gid, c in candidates(a).items():
                print(f"{a}.{gid}: {len(c)} candidate(s)" + "".join(f"\n    {w}" for _, w in c))
        with tempfile.TemporaryDirectory() as tmp:
            res = grade_copy(a, Path(tmp))
        print(res.report())
        bad += res.fraction > args.limit
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
