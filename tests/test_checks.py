"""Comparisons and diagnoses: what a check accepts, what it rejects, what it says."""

import numpy as np

from nncourse.grading import checks
from nncourse.grading.checks import Case, all_close, close, exact, known_bugs, passes, scalar, sequence
from nncourse.grading.wire import Unsupported


def test_close_accepts_within_tolerance_and_explains_failures():
    c = close(rtol=1e-6, atol=1e-9)
    e = np.array([1.0, 2.0])
    assert c(e + 1e-10, e) is None
    assert "shape" in c(np.ones(3), e)
    assert "dtype" in c(e.astype(np.float32), e)
    assert "nan or inf" in c(np.array([np.nan, 2.0]), e)
    assert "max abs error" in c(e + 1e-3, e)
    assert "NumPy array" in c(Unsupported("Foo"), e)
    assert c([1.0, 2.0], e) is None  # a plain list of numbers is accepted


def test_exact_scalar_and_sequence():
    assert exact()(np.array([1, 2]), np.array([1, 2])) is None
    assert "integer" in exact()(np.array([1.0, 2.0]), np.array([1, 2]))
    assert scalar()(np.array(2.0), 2.0) is None and scalar()(2, 2.0) is None
    assert "float" in scalar()("2.0", 2.0)
    assert "expected a float" in scalar()(True, 1.0)
    s = sequence(close(), scalar(), names=("w", "b"))
    assert s((np.zeros(2), 0.0), (np.zeros(2), 0.0)) is None
    assert s((np.zeros(2),), (np.zeros(2), 0.0)).startswith("expected a tuple")
    assert s((np.ones(2), 0.0), (np.zeros(2), 0.0)).startswith("w:")


def test_case_names_the_likely_bug_and_detects_mutation():
    x = np.array([1.0, -1.0])
    case = Case("f", "demo", (x,), np.array([2.0, 0.0]), close(), bugs={"it forgot the relu": np.array([2.0, -2.0])})
    assert "forgot the relu" in case.judge(np.array([2.0, -2.0]))
    assert case.judge(np.array([2.0, 0.0]), [x.copy()]) is None
    assert "in place" in case.judge(np.array([2.0, 0.0]), [np.zeros(2)])
    nested = Case("g", "lists", ([x.copy(), (x.copy(), 1.0)],), 0.0, scalar())
    assert nested.judge(0.0, [[x.copy(), (x.copy(), 1.0)]]) is None
    assert "in place" in nested.judge(0.0, [[x.copy(), (np.zeros(2), 1.0)]])


def test_known_bugs_keeps_only_values_that_tell_a_bug_apart():
    right = np.array([1.0, 2.0])
    bugs = known_bugs(right, all_close(),
                      **{"it forgot the bias": right + 1,      # kept: a different value
                         "it squared twice": right.copy(),     # dropped: same as the right answer here
                         "it cannot run here": None,           # dropped: no value
                         "it returned NaN": np.array([np.nan, 2.0]),
                         "it broke the comparison": np.array(["a", "b"])})  # dropped: unreadable, no error
    assert list(bugs) == ["it forgot the bias", "it returned NaN"]
    pair = (np.zeros(2), np.ones(3))
    assert list(known_bugs(pair, all_close(), swapped=(np.ones(3), np.zeros(2)), unchanged=pair)) == ["swapped"]
    # a comparison that returns a message (or None) works through passes()
    assert list(known_bugs(right, passes(close()), off=right * 1.1, equal=right + 1e-12)) == ["off"]


def test_hidden_cases_depend_on_the_seed_visible_ones_do_not():
    a = checks.load("ch01_neuron")
    v1 = a.cases("sigmoid")
    v2 = a.cases("sigmoid")
    assert all(np.array_equal(p.args[0], q.args[0]) for p, q in zip(v1, v2))
    h1, h2 = a.cases("sigmoid", 1), a.cases("sigmoid", 2)
    assert len(h1) > len(v1)
    hidden1 = [c for c in h1 if c.hidden]
    hidden2 = [c for c in h2 if c.hidden]
    assert not np.array_equal(hidden1[0].args[0], hidden2[0].args[0])


def test_every_assignment_checks_every_graded_function():
    from nncourse.grading import notebook as nbmod, release
    from nncourse.grading.grader import source_path

    for name in release.assignments():
        spec = checks.load(name)
        nb, _ = nbmod.load_json_notebook(source_path(name))
        layout = nbmod.Layout.of(nb)
        assert set(layout.code_answers) == set(spec.tasks), name
        assert {f"test_{t}" for t in spec.tasks} <= set(layout.tests), name
        for t in spec.tasks:
            assert any(c.hidden for c in spec.cases(t, 123)), f"{name}.{t} has no hidden checks"
