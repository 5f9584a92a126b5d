"""Reading submissions without trusting them, and rebuilding the graded notebook.

A submission is only ever a source of answer-cell text: the cells whose
``grade_id`` matches an answer cell of the instructor's notebook. Its tests,
metadata, outputs and any other cells are ignored. Every problem (invalid
JSON, a missing, duplicated or malformed cell) becomes a message for the
student and zero for what is missing, never an exception.
"""

from __future__ import annotations

import ast
import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_CELL_CHARS = 200_000


@dataclass
class Answers:
    code: dict[str, str] = field(default_factory=dict)      # graded function -> cell source
    written: dict[str, str] = field(default_factory=dict)   # manually graded cell -> text
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

    @classmethod
    def of(cls, source_nb: dict) -> "Layout":
        code, written, tests = [], {}, {}
        for cell in source_nb["cells"]:
            m = nbgrader_meta(cell)
            gid = m.get("grade_id")
            if not gid:
                continue
            if m.get("solution") and cell.get("cell_type") == "code":
                code.append(gid)
            elif m.get("solution") and m.get("grade"):
                written[gid] = float(m.get("points", 0))
            elif m.get("grade"):
                tests[gid] = float(m.get("points", 0))
        return cls(tuple(code), written, tests)

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
        want = "code" if gid in layout.code_answers else "markdown"
        if src is None or cell.get("cell_type") not in (want, "raw" if want == "markdown" else want):
            out.messages.append(f"the answer cell '{gid}' is malformed (expected a {want} cell): it scores 0")
            continue
        if len(src) > MAX_CELL_CHARS:
            out.messages.append(f"the answer cell '{gid}' is longer than {MAX_CELL_CHARS} characters: it scores 0")
            continue
        (out.code if want == "code" else out.written)[gid] = src
    return out


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
        elif gid in layout.code_answers or gid in layout.written:
            cell["source"] = "# (missing from the submission)" if cell["cell_type"] == "code" else "*(missing from the submission)*"
        if gid in test_outputs:
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": test_outputs[gid]}]
    return nb
