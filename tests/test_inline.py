"""The in-notebook checks that a student's visible test cells run."""

import numpy as np
import pytest

from nncourse.grading.inline import Checker


def test_a_correct_function_passes(capsys):
    def relu(z):
        return np.maximum(z, 0.0)

    Checker("ch01_neuron")(relu)
    out = capsys.readouterr().out
    assert "✔" in out and "all" in out and "✘" not in out


def test_a_wrong_function_raises_and_says_why(capsys):
    def relu(z):
        z[z < 0] = 0.0  # right values, but modifies its input
        return z

    with pytest.raises(AssertionError, match="relu"):
        Checker("ch01_neuron")(relu)
    assert "in place" in capsys.readouterr().out


def test_unknown_functions_are_refused():
    def not_graded(z):
        return z

    with pytest.raises(ValueError, match="not a graded function"):
        Checker("ch01_neuron")(not_graded)


def test_an_answer_that_imports_nncourse_is_refused(capsys):
    """The course's package holds the reference code: an answer that imports it passes nothing
    in the notebook (and is not credited when graded)."""
    import linecache

    check = Checker("ch01_neuron")
    src = "def relu(z):\n    from nncourse.neuron import relu as r\n    return r(z)\n"
    ns = {}
    linecache.cache["<answer>"] = (len(src), None, src.splitlines(True), "<answer>")
    exec(compile(src, "<answer>", "exec"), ns)
    with pytest.raises(AssertionError, match="not credited"):
        check(ns["relu"])
    assert "the course's package holds the reference code" in capsys.readouterr().out


def test_the_grader_does_not_credit_nncourse_imports(tmp_path):
    from nncourse.grading import checks, grader
    from nncourse.grading.testing import make_submission

    nb = make_submission("ch01_neuron", tmp_path / "ch01_neuron.ipynb",
                         {"relu": "from nncourse.neuron import relu\n"})
    res = grader.grade_notebook(nb, checks.load("ch01_neuron"), "x", visible_only=True)
    assert res.tasks["relu"].score == 0 and "course's package" in res.tasks["relu"].note
    assert res.tasks["sigmoid"].score == res.tasks["sigmoid"].points
