"""Every exercise has the three kinds of work the syllabus asks for, and the grader carries them.

- implement: graded functions (checked by ``test_exercise_variants.py``);
- debug (chapter 3 on): an answer cell whose release holds the provided buggy
  code (``authoring.debug_cell``); the blank release scoring 0 is checked by
  the variants test;
- experiment and report: a manually graded code cell that draws one figure and
  a manually graded Markdown report (at most 200 words), each with a rubric
  stored in the source whose criteria the release states.
"""

import base64
import json
import re

import pytest

from nncourse.grading import authoring, copy_chapter, grader, release
from nncourse.grading import notebook as nbmod
from nncourse.grading.grader import release_path, source_path

ASSIGNMENTS = release.assignments()
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 32).decode()


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _kind(cell):
    return cell.get("metadata", {}).get("nncourse", {}).get("kind")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_experiment_and_report_with_rubrics(assignment):
    src = _cells(source_path(assignment))
    layout = nbmod.Layout.of({"cells": src})
    experiments = [c for c in src if _kind(c) == "experiment"]
    reports = [c for c in src if _kind(c) == "report"]
    assert experiments and reports, f"{assignment}: no experiment and report"
    release_text = "\n".join(nbmod.cell_source(c) for c in _cells(release_path(assignment)))
    for cell in experiments + reports:
        meta = cell["metadata"]
        gid, points = meta["nbgrader"]["grade_id"], meta["nbgrader"]["points"]
        assert meta["nbgrader"]["grade"] and meta["nbgrader"]["solution"]
        assert layout.written[gid] == points
        rubric = meta["nncourse"]["rubric"]
        assert sum(p for _, p in rubric) == pytest.approx(points), f"{gid}: rubric != points"
        for criterion, _ in rubric:  # the student release states every criterion
            assert criterion in release_text, f"{gid}: the release does not state {criterion!r}"
    for cell in experiments:
        assert cell["cell_type"] == "code" and cell["metadata"]["nbgrader"]["grade_id"] in layout.written_code
    for cell in reports:
        answer = nbmod.cell_source(cell).split("**Rubric")[0].replace("### BEGIN SOLUTION", "")
        assert len(answer.split()) <= 200, f"{assignment}: the model report is longer than 200 words"


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if copy_chapter.chapter_number(a) >= 3])
def test_debugging_task_from_chapter_3(assignment):
    src = _cells(source_path(assignment))
    starters = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nncourse"]["starter"]
                for c in src if "starter" in c.get("metadata", {}).get("nncourse", {})}
    assert starters, f"{assignment}: no debugging task"
    released = {nbmod.nbgrader_meta(c).get("grade_id"): nbmod.cell_source(c) for c in _cells(release_path(assignment))}
    layout = nbmod.Layout.of({"cells": src})
    for gid, starter in starters.items():
        assert gid in layout.code_answers, f"{gid} is not an autograded answer"
        assert released[gid] == starter, f"the release's {gid} cell does not hold the provided code"
        assert re.search(rf"^(def|class) {gid}\b", starter, re.M), f"the starter of {gid} does not define {gid}"


def test_authoring_checks_rubrics_and_report_length():
    with pytest.raises(ValueError, match="add up"):
        authoring.experiment_cell("e", 2, "x = 1", [("a figure", 1)])
    with pytest.raises(ValueError, match="at most 200"):
        authoring.report_cell("r", 1, "word " * 201, [("says why", 1)])
    assert authoring.rubric_markdown([("a", 1)], [("b", 2.5)]) == "- (1 point) a\n- (2.5 points) b"


def test_figure_outputs_keep_png_and_text_only():
    cell = {"cell_type": "code", "outputs": [
        {"output_type": "stream", "name": "stdout", "text": ["measured ", "0.5\n"]},
        {"output_type": "stream", "name": "stderr", "text": "a warning\n"},
        {"output_type": "display_data", "data": {"image/png": PNG, "text/html": "<script>x</script>"},
         "metadata": {"evil": 1}},
        {"output_type": "display_data", "data": {"image/png": base64.b64encode(b"GIF89a").decode()}},
        {"output_type": "display_data", "data": {"image/png": "not base64!"}},
        {"output_type": "execute_result", "data": {"text/html": "<img src=x onerror=alert(1)>"}},
        "junk",
    ]}
    out = nbmod.figure_outputs(cell)
    assert out[0] == {"output_type": "stream", "name": "stdout", "text": "measured 0.5\n"}
    assert len(out) == 2 and out[1]["data"]["image/png"] == PNG
    assert set(out[1]["data"]) == {"image/png", "text/plain"} and out[1]["metadata"] == {}
    many = {"outputs": [{"output_type": "display_data", "data": {"image/png": PNG}}] * 10
            + [{"output_type": "stream", "name": "stdout", "text": "x" * 10_000}]}
    out = nbmod.figure_outputs(many)
    assert len(out) == 1 + nbmod.MAX_FIGURES and len(out[0]["text"]) < nbmod.MAX_PRINTED_CHARS + 100
    assert nbmod.figure_outputs({"outputs": "nope"}) == [] and nbmod.figure_outputs("nope") == []


def test_experiment_reaches_the_graded_notebook_and_untouched_answers_score_0():
    a = ASSIGNMENTS[0]
    src = json.loads(source_path(a).read_text())
    layout = nbmod.Layout.of(src)
    exp = next(c for c in src["cells"] if _kind(c) == "experiment")
    gid = exp["metadata"]["nbgrader"]["grade_id"]
    nb = json.loads(release_path(a).read_text())
    cell = next(c for c in nb["cells"] if nbmod.nbgrader_meta(c).get("grade_id") == gid)
    cell["source"] = "plot_my_experiment()"
    cell["outputs"] = [{"output_type": "display_data", "data": {"image/png": PNG}, "metadata": {}}]
    answers = nbmod.extract_answers(nb, layout)
    assert answers.written[gid] == "plot_my_experiment()"
    rebuilt = nbmod.rebuild(json.loads(release_path(a).read_text()), answers, layout, {})
    out = next(c for c in rebuilt["cells"] if nbmod.nbgrader_meta(c).get("grade_id") == gid)
    assert out["source"] == "plot_my_experiment()" and out["outputs"][0]["data"]["image/png"] == PNG
    release_nb = json.loads(release_path(a).read_text())
    for c in release_nb["cells"]:  # every manually graded cell of the release is still a stub
        g = nbmod.nbgrader_meta(c).get("grade_id")
        if g in layout.written:
            assert grader._untouched(nbmod.cell_source(c), g, grader._stubs(release_nb))
    assert not grader._untouched("plot_my_experiment()", gid, grader._stubs(release_nb))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_experiment_runs_and_draws_one_figure(assignment):
    """The reference experiment runs in the notebook after the reference answers and draws
    one figure (its time, which must stay under 60 s on 2 cores, is printed by
    ``benchmarks/course.py``)."""
    from nncourse.grading.testing import run_experiments

    ran = run_experiments(assignment)
    assert ran, f"{assignment}: no experiment cell ran"
    for gid, (figures, _) in ran.items():
        assert figures == 1, f"{assignment}.{gid} drew {figures} figures (one expected)"
