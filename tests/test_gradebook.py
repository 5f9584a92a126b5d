"""The gradebook follows the instructor's notebook: changed points after submissions were graded.

An export once showed 12.0 of 10 after an instructor raised a cell's points:
the gradebook kept the old maximum and said nothing. Now grading again
updates every submission's maximum and says so; adding or removing graded
cells after grading is refused with a message (the grades would not match).
"""

import json

import pytest

from nncourse.grading import gradebook
from nncourse.grading import notebook as nbmod
from nncourse.grading.grader import SubmissionResult, TaskResult, source_path

A = "ch01_neuron"


def _result(student, layout):
    r = SubmissionResult(student, A, written_ids=list(layout.written))
    for test_id, pts in layout.tests.items():
        task = layout.task_of_test(test_id)
        r.tasks[task] = TaskResult(task, test_id, pts, score=pts)
    return r


def _source_copy(tmp_path, change):
    nb = json.loads(source_path(A).read_text())
    change(nb)
    p = tmp_path / f"{A}.ipynb"
    p.write_text(json.dumps(nb))
    return p


def _max_score(db, student):
    from nbgrader.api import Gradebook

    with Gradebook(db) as gb:
        return gb.find_submission(A, student).max_score


def test_changed_points_update_the_maximum_and_warn(tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'gb.db'}"
    layout = nbmod.Layout.of(json.loads(source_path(A).read_text()))
    total = sum(layout.tests.values()) + sum(layout.written.values())
    assert gradebook.save([_result("ada", layout)], A, db, autograded_dir=tmp_path / "ag") == []
    assert _max_score(db, "ada") == total

    def more_points(nb):
        for c in nb["cells"]:
            if nbmod.nbgrader_meta(c).get("grade_id") == "test_sigmoid":
                c["metadata"]["nbgrader"]["points"] += 3

    monkeypatch.setattr(gradebook, "source_path", lambda a: _source_copy(tmp_path, more_points))
    warnings = gradebook.save([_result("ada", layout)], A, db, autograded_dir=tmp_path / "ag")
    assert len(warnings) == 1 and "test_sigmoid is now worth" in warnings[0]
    assert _max_score(db, "ada") == total + 3


def test_added_cells_after_grading_are_refused(tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'gb.db'}"
    layout = nbmod.Layout.of(json.loads(source_path(A).read_text()))
    gradebook.save([_result("ada", layout)], A, db, autograded_dir=tmp_path / "ag")

    def new_question(nb):
        cell = json.loads(json.dumps(next(c for c in nb["cells"]
                                         if nbmod.nbgrader_meta(c).get("grade_id") == "xor_explanation")))
        cell["metadata"]["nbgrader"]["grade_id"] = "another_question"
        nb["cells"].append(cell)

    monkeypatch.setattr(gradebook, "source_path", lambda a: _source_copy(tmp_path, new_question))
    with pytest.raises(gradebook.GradebookError, match="added: \\['another_question'\\]"):
        gradebook.save([_result("ada", layout)], A, db, autograded_dir=tmp_path / "ag")
