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
