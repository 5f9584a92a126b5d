"""Reading submissions without trusting them, and rebuilding the graded notebook.

A submission is only ever a source of answer-cell text: the cells whose
``grade_id`` matches an answer cell of the instructor's notebook. Its tests,
metadata, outputs and any other cells are ignored. Every problem (invalid
JSON, a missing, duplicated or malformed cell) becomes a message for the
student and zero for what is missing, never an exception.
"""

from __future__ import annotations

import ast
import base64
import binascii
import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_CELL_CHARS = 200_000
MAX_FIGURE_CHARS = 2 * 2**20       # one figure's base64 PNG
MAX_FIGURES = 4                    # figures kept per experiment cell
MAX_PRINTED_CHARS = 4000           # printed text kept per experiment cell
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass
class Answers:
    code: dict[str, str] = field(default_factory=dict)      # graded function -> cell source
    written: dict[str, str] = field(default_factory=dict)   # manually graded cell -> text
    outputs: dict[str, list] = field(default_factory=dict)  # experiment cell -> its figures (sanitised)
    messages: list[str] = field(default_factory=list)


def load_json_notebook(path: Path) -> tuple[dict | None, str | None]:
    """Parse ``path`` as a notebook; return (notebook, None) or (None, why not)."""
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return None, f"{path.name} is larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB"
        nb = json.loads(path.read_bytes())
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return None, f"{path.name} is not a valid notebook (invalid JSON: {str(e)[:120]})"
    except RecursionError:
        return None, f"{path.name} is not a valid notebook (JSON nested too deeply)"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, f"{path.name} is not a valid notebook (no list of cells)"
    return nb, None


def cell_source(cell) -> str | None:
    """The text of a cell, or None if the cell is malformed."""
    if not isinstance(cell, dict):
        return None
    src = cell.get("source", "")
    if isinstance(src, list) and all(isinstance(s, str) for s in src):
        src = "".join(src)
    return src if isinstance(src, str) else None


def nbgrader_meta(cell) -> dict:
    if not isinstance(cell, dict):
        return {}
    meta = cell.get("metadata")
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nbg if isinstance(nbg, dict) else {}


@dataclass(frozen=True)
class Layout:
    """What the instructor's notebook says: which cells are answers, tests, written."""

    code_answers: tuple[str, ...]     # graded functions, in notebook order
    written: dict[str, float]         # manually graded cells -> points
    tests: dict[str, float]           # test cell grade_id -> points
    written_code: frozenset = frozenset()  # manually graded *code* cells (experiments), part of written

    @classmethod
    def of(cls, source_nb: dict) -> "Layout":
        code, written, tests, written_code = [], {}, {}, set()
        for cell in source_nb["cells"]:
            m = nbgrader_meta(cell)
            gid = m.get("grade_id")
            if not gid:
                continue
            is_code = cell.get("cell_type") == "code"
            if m.get("solution") and is_code and not m.get("grade"):
                code.append(gid)
            elif m.get("solution") and m.get("grade"):
                written[gid] = float(m.get("points", 0))
                if is_code:
                    written_code.add(gid)
            elif m.get("grade"):
                tests[gid] = float(m.get("points", 0))
        return cls(tuple(code), written, tests, frozenset(written_code))

    def task_of_test(self, test_id: str) -> str | None:
        name = test_id[len("test_"):] if test_id.startswith("test_") else None
        return name if name in self.code_answers else None


def extract_answers(nb: dict, layout: Layout) -> Answers:
    """Pick the answer cells out of a (parsed, untrusted) submission."""
    out = Answers()
    found: dict[str, list] = {}
    for cell in nb["cells"]:
        gid = nbgrader_meta(cell).get("grade_id")
        if isinstance(gid, str) and (gid in layout.code_answers or gid in layout.written):
            found.setdefault(gid, []).append(cell)
    for gid in (*layout.code_answers, *layout.written):
        cells = found.get(gid, [])
        if not cells:
            out.messages.append(f"the answer cell '{gid}' is missing from the notebook "
                                "(deleted, or its metadata was lost): it scores 0")
            continue
        if len(cells) > 1:
            out.messages.append(f"the answer cell '{gid}' appears {len(cells)} times "
                                "(a copied cell?): the last one was graded")
        cell = cells[-1]
        src = cell_source(cell)
        want = "code" if gid in layout.code_answers or gid in layout.written_code else "markdown"
        if src is None or cell.get("cell_type") not in (want, "raw" if want == "markdown" else want):
            out.messages.append(f"the answer cell '{gid}' is malformed (expected a {want} cell): it scores 0")
            continue
        if len(src) > MAX_CELL_CHARS:
            out.messages.append(f"the answer cell '{gid}' is longer than {MAX_CELL_CHARS} characters: it scores 0")
            continue
        (out.code if gid in layout.code_answers else out.written)[gid] = src
        if gid in layout.written_code:
            out.outputs[gid] = figure_outputs(cell)
    return out


def _text(x) -> str | None:
    if isinstance(x, list) and all(isinstance(s, str) for s in x):
        return "".join(x)
    return x if isinstance(x, str) else None


def _is_png(b64: str) -> bool:
    try:
        return base64.b64decode(b64.replace("\n", ""), validate=True)[:8] == PNG_MAGIC
    except (binascii.Error, ValueError):
        return False


def figure_outputs(cell) -> list[dict]:
    """What an experiment cell's outputs may carry into the graded notebook:
    the text it printed and its PNG figures, rebuilt from their data (nothing
    else of the student's outputs: no HTML, no scripts), within size limits."""
    outs = cell.get("outputs") if isinstance(cell, dict) else None
    if not isinstance(outs, list):
        return []
    printed, figures = [], []
    for o in outs[:200]:
        if not isinstance(o, dict):
            continue
        kind = o.get("output_type")
        if kind == "stream" and o.get("name") == "stdout":
            t = _text(o.get("text"))
            if t:
                printed.append(t)
        elif kind in ("display_data", "execute_result") and isinstance(o.get("data"), dict):
            png = _text(o["data"].get("image/png"))
            if png and len(png) <= MAX_FIGURE_CHARS and len(figures) < MAX_FIGURES and _is_png(png):
                figures.append(png)
    kept = []
    if printed:
        text = "".join(printed)
        if len(text) > MAX_PRINTED_CHARS:
            text = text[:MAX_PRINTED_CHARS] + "\n[... printed output cut]\n"
        kept.append({"output_type": "stream", "name": "stdout", "text": text})
    kept += [{"output_type": "display_data", "metadata": {},
              "data": {"image/png": png, "text/plain": "<the student's figure>"}} for png in figures]
    return kept


def uses_forbidden(source: str, forbidden: tuple[str, ...]) -> str | None:
    """Describe the first use of a forbidden module in ``source`` (static check)."""
    if not forbidden:
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None  # reported when the cell runs
    roots = set(forbidden)
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Name):
            names = [node.id]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value.strip()]
        hit = next((n for n in names if n.split(".")[0] in roots), None)
        if hit:
            return f"uses {hit.split('.')[0]} (line {getattr(node, 'lineno', '?')})"
    return None


def rebuild(release_nb: dict, answers: Answers, layout: Layout, test_outputs: dict[str, str]) -> dict:
    """The graded notebook: the release's cells, the student's answers, our feedback.

    Test cells keep the release's (visible) source; their output is the
    feedback text for that test. No hidden test text is ever included.
    """
    nb = copy.deepcopy(release_nb)
    for cell in nb["cells"]:
        gid = nbgrader_meta(cell).get("grade_id")
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        if gid in answers.code:
            cell["source"] = answers.code[gid]
        elif gid in answers.written:
            cell["source"] = answers.written[gid]
            if gid in answers.outputs:
                cell["outputs"] = answers.outputs[gid]
        elif gid in layout.code_answers or gid in layout.written:
            cell["source"] = "# (missing from the submission)" if cell["cell_type"] == "code" else "*(missing from the submission)*"
        if gid in test_outputs:
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": test_outputs[gid]}]
    return nb
