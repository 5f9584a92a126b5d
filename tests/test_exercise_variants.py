"""Do the checks tell right from wrong? Every exercise, through the real grade command.

For each assignment with variants (``tests/variants/<assignment>/``): the
reference solution scores full marks, the blank release scores zero, every
plausible bug loses points on its function (and only there), and every
alternative correct implementation scores full marks. Each graded function
has at least three bugs and one alternative correct implementation.

Where an assignment has torch answers, a variant is graded without the torch
answers it does not vary (their cells are removed: no answer, zero points,
nothing runs): a variant of a NumPy answer without any, a variant of a torch
answer with that one only. Grading every torch answer (training networks,
resuming checkpoints) in every variant's submission would cost most of the
suite's time. The NumPy answers run in a sandbox of their own, so they are
always graded, and the reference grades every answer in full.
"""

import json

import pytest

from nncourse.grading import checks, notebook as nbmod
from nncourse.grading.grader import source_path
from nncourse.grading.testing import load_variants, make_submission, read_scores, run_grade

ASSIGNMENTS = sorted(p.name for p in (checks.ROOT / "tests" / "variants").iterdir() if p.is_dir())
pytestmark = pytest.mark.slow


def _drop_answers(path, tasks):
    """Remove the answer cells of ``tasks`` from the submission at ``path``."""
    if not tasks:
        return
    nb = json.loads(path.read_text())
    nb["cells"] = [c for c in nb["cells"] if nbmod.nbgrader_meta(c).get("grade_id") not in tasks]
    path.write_text(json.dumps(nb, indent=1))


def _not_graded(assignment, variant):
    """The answers a variant's submission does not contain (see the module's docstring)."""
    return set(checks.load(assignment).torch_tasks) - {variant.task}


def _layout(assignment):
    nb, _ = nbmod.load_json_notebook(source_path(assignment))
    return nbmod.Layout.of(nb)


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    a = request.param
    work = tmp_path_factory.mktemp(a)
    subs = work / "submitted"
    variants = load_variants(a)
    for v in variants:
        path = make_submission(a, subs / v.name / a / f"{a}.ipynb", {v.task: v.source})
        _drop_answers(path, _not_graded(a, v))
    make_submission(a, subs / "reference" / a / f"{a}.ipynb")
    make_submission(a, subs / "blank" / a / f"{a}.ipynb", blank=True)
    proc, db, csv, report = run_grade(a, subs, work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return a, variants, read_scores(db, a), report.read_text()


def test_every_function_has_enough_variants(graded):
    a, variants, _, _ = graded
    for task in _layout(a).code_answers:
        mine = [v for v in variants if v.task == task]
        assert sum(v.expect == "less" for v in mine) >= 3, f"{a}.{task}: fewer than 3 bug variants"
        assert sum(v.expect == "full" for v in mine) >= 1, f"{a}.{task}: no alternative correct variant"


def test_reference_full_marks_and_blank_zero(graded):
    a, _, scores, report = graded
    layout = _layout(a)
    for test_id, pts in layout.tests.items():
        assert scores["reference"][test_id] == pts, f"reference loses points on {test_id}:\n{report}"
        assert scores["blank"][test_id] == 0


def test_variants_score_as_expected(graded):
    a, variants, scores, report = graded
    layout = _layout(a)
    for v in variants:
        mine = scores[v.name]
        skipped = _not_graded(a, v)
        for test_id, pts in layout.tests.items():
            task = layout.task_of_test(test_id)
            if task in skipped:  # not in this submission
                assert mine[test_id] == 0, f"{v.name}: {test_id} scored without an answer"
            elif task != v.task:  # every other function is the reference: full marks
                assert mine[test_id] == pts, f"{v.name} changed the score of {test_id}"
            elif v.expect == "full":
                assert mine[test_id] == pts, f"correct variant {v.name} lost points ({mine[test_id]}/{pts})"
            elif v.expect == "less":
                assert mine[test_id] < pts, f"bug {v.name} was not caught ({mine[test_id]}/{pts})"
            else:
                assert mine[test_id] == 0, f"{v.name} should score 0, got {mine[test_id]}"
