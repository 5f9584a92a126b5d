"""Building blocks for writing an instructor's (source) notebook with nbgrader metadata.

Every exercise notebook has the same shape, so that the grader, the
release and the tests can rely on it:

- a set-up cell (read-only) that imports NumPy and creates ``check``;
- per graded function: an explanation, an answer cell whose ``grade_id`` is
  the function's name, and a test cell ``test_<name>`` worth some points,
  whose source starts with a docstring and calls ``check(<name>)`` (visible)
  and ``check(<name>, hidden=True)`` inside the hidden-tests markers;
- manually graded written answers.
"""

from __future__ import annotations

from nbformat import v4


def _meta(**nbg):
    return {"nbgrader": {"schema_version": 3, **nbg}}


def markdown(text: str):
    return v4.new_markdown_cell(text.strip())


def readonly_code(source: str, grade_id: str):
    c = v4.new_code_cell(source.strip())
    c.metadata.update(_meta(grade=False, solution=False, locked=True, grade_id=grade_id, task=False))
    return c


def setup_cell(assignment: str, extra: str = ""):
    src = f"import numpy as np\n{extra.strip()}\n\nfrom nncourse.grading.inline import Checker\ncheck = Checker({assignment!r})"
    return readonly_code(src.replace("\n\n\n", "\n\n"), "setup")


def answer_cell(name: str, signature_and_doc: str, solution: str):
    """``signature_and_doc`` stays for students; ``solution`` is replaced by a stub."""
    body = "\n".join("    " + l if l else "" for l in solution.strip("\n").splitlines())
    src = f"{signature_and_doc.rstrip()}\n    ### BEGIN SOLUTION\n{body}\n    ### END SOLUTION"
    c = v4.new_code_cell(src)
    c.metadata.update(_meta(grade=False, solution=True, locked=False, grade_id=name, task=False))
    return c


def test_cell(name: str, points: float, docstring: str):
    src = (f'"""{docstring.strip()}"""\ncheck({name})\n'
           f"### BEGIN HIDDEN TESTS\ncheck({name}, hidden=True)\n### END HIDDEN TESTS")
    c = v4.new_code_cell(src)
    c.metadata.update(_meta(grade=True, solution=False, locked=True, grade_id=f"test_{name}",
                            points=points, task=False))
    return c


def written_cell(grade_id: str, points: float, model_answer: str):
    c = v4.new_markdown_cell(f"### BEGIN SOLUTION\n{model_answer.strip()}\n### END SOLUTION")
    c.metadata.update(_meta(grade=True, solution=True, locked=False, grade_id=grade_id,
                            points=points, task=False))
    return c


def notebook(cells):
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


# ------------------------------------------------------------------ debugging tasks
def debug_cell(name: str, starter: str, solution: str):
    """An autograded answer cell whose student release holds ``starter``, the
    provided function with its planted bugs (same name and signature as the
    fix); the source holds ``solution``, the fixed function. The release step
    (:func:`nncourse.grading.release.generate`) puts the starter in place of
    nbgrader's stub, so the student edits the buggy code in place."""
    src = f"### BEGIN SOLUTION\n{solution.strip()}\n### END SOLUTION"
    c = v4.new_code_cell(src)
    c.metadata.update(_meta(grade=False, solution=True, locked=False, grade_id=name, task=False))
    c.metadata["nncourse"] = {"starter": starter.strip() + "\n"}
    return c


# ------------------------------------------------------------------ experiment and report
Rubric = list  # [(criterion, points), ...]


def _check_rubric(rubric, points: float) -> list:
    rows = [[str(c), float(p)] for c, p in rubric]
    total = sum(p for _, p in rows)
    if not rows or abs(total - points) > 1e-9:
        raise ValueError(f"rubric points add up to {total:g}, the cell is worth {points:g}")
    return rows


def rubric_markdown(*rubrics) -> str:
    """The criteria of one or more rubrics as a Markdown list, for the student release."""
    lines = []
    for rubric in rubrics:
        for crit, pts in rubric:
            lines.append(f"- ({pts:g} point{'s' if pts != 1 else ''}) {crit}")
    return "\n".join(lines)


def experiment_cell(grade_id: str, points: float, code: str, rubric):
    """A manually graded code cell (nbgrader's "manually graded answer" on code):
    the student's experiment, which draws one figure. ``code`` is the
    reference experiment (it must run in under 60 s on 2 cores). The student's
    cell source and its figure (PNG outputs, sanitised) reach the graded
    notebook; the grader never runs it. ``rubric`` [(criterion, points)] is
    stored in the cell's metadata and must add up to ``points``."""
    c = v4.new_code_cell(f"### BEGIN SOLUTION\n{code.strip()}\n### END SOLUTION")
    c.metadata.update(_meta(grade=True, solution=True, locked=False, grade_id=grade_id,
                            points=points, task=False))
    c.metadata["nncourse"] = {"kind": "experiment", "rubric": _check_rubric(rubric, points)}
    return c


def report_cell(grade_id: str, points: float, model_answer: str, rubric):
    """A manually graded Markdown answer: the experiment's report (at most 200
    words). The hidden solution holds a model answer and the rubric, so that
    formgrader shows both to the grader; the release shows the stub."""
    rows = _check_rubric(rubric, points)
    words = len(model_answer.split())
    if words > 200:
        raise ValueError(f"the model report has {words} words (at most 200)")
    rub = "\n".join(f"- {p:g}: {c}" for c, p in rows)
    c = v4.new_markdown_cell(f"### BEGIN SOLUTION\n{model_answer.strip()}\n\n"
                             f"**Rubric ({points:g} points).**\n\n{rub}\n### END SOLUTION")
    c.metadata.update(_meta(grade=True, solution=True, locked=False, grade_id=grade_id,
                            points=points, task=False))
    c.metadata["nncourse"] = {"kind": "report", "rubric": rows}
    return c
