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
