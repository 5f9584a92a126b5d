"""Hostile submissions through the real ``nncourse grade``: nothing gained, nothing touched.

Every attack in ``attacks/`` is built into a submission (see ``adversary.py``)
and the whole batch is graded by ONE ``nncourse grade`` command, in a
session fixture; then the same submissions of a few attacks are graded again
(determinism), and the attacks that stop the whole command get a batch of
their own. The tests only read what was observed. With pytest-xdist the
first worker runs the batch and the others reuse its results (file lock).
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import re

import pytest
from adversary import MAX_SCORE, TASKS, WORKERS, load_attacks, run_all, split_report, table

from nncourse.grading.sandbox import Limits

pytestmark = pytest.mark.slow

ATTACKS = load_attacks()
MAIN = [a for a in ATTACKS if a.batch != "own"]
OWN = [a for a in ATTACKS if a.batch == "own"]


def _marks(a, test):
    """``xfail: [score|feedback|batch:] reason``: a reported weakness (the test it makes fail)."""
    m = re.match(r"^(score|feedback|batch): (.*)$", a.xfail)
    which, reason = m.groups() if m else ("batch" if a.batch == "own" else "score", a.xfail)
    return [pytest.mark.xfail(strict=True, reason=reason)] if a.xfail and which == test else []


@pytest.fixture(scope="session")
def result(tmp_path_factory):
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this run
    data = root / "adversarial.json"
    with open(root / "adversarial.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not data.exists():
            base = root / "adversarial"
            base.mkdir()
            res = run_all(base)
            (base / "table.md").write_text(table(res))
            data.write_text(json.dumps(res))
    return json.loads(data.read_text())


def _fill(pattern: str, res: dict) -> str:
    return pattern.replace("@@KEY@@", res["secrets"]["key"]).replace("@@TOKEN@@", res["secrets"]["token"])


# ---------------------------------------------------------------- every attack
@pytest.mark.parametrize("attack", [pytest.param(a, id=a.name, marks=_marks(a, "score")) for a in MAIN])
def test_attack_gains_nothing(result, attack):
    """Targeted functions score at most their bound (the honest wrong answer's score);
    every other function still gets full marks."""
    scores = result["runs"]["main"]["scores"].get(attack.student)
    assert scores is not None, f"{attack.student} is not in the gradebook"
    for task, points in TASKS.items():
        got, bound = scores[task], attack.bound(task)
        assert got is not None, f"{task}: no score"
        if task in attack.max or "all" in attack.max:
            assert got <= bound + 1e-9, f"{task}: {got} points, at most {bound} allowed"
        else:
            assert math.isclose(got, points), f"{task} (untouched) got {got} of {points}"


@pytest.mark.parametrize("attack", [pytest.param(a, id=a.name, marks=_marks(a, "feedback"))
                                    for a in MAIN if a.see or a.never])
def test_attack_feedback(result, attack):
    """What the student sees names what happened (and leaks nothing)."""
    run = result["runs"]["main"]
    section = split_report(run["report"], run["students"]).get(attack.student, "")
    assert section, f"no feedback for {attack.student}"
    for pat in attack.see:
        assert re.search(_fill(pat, result), section), f"expected /{pat}/ in:\n{section}"
    for pat in attack.never:
        assert not re.search(_fill(pat, result), section), f"/{pat}/ must not appear in:\n{section}"


def test_controls_score_as_expected(result):
    scores = result["runs"]["main"]["scores"]
    assert scores["adv5-control_honest"] == TASKS
    assert scores["adv5-control_wrong"] == {t: 0.0 for t in TASKS}


# ---------------------------------------------------------------- the batch
def test_every_student_is_graded(result):
    run = result["runs"]["main"]
    assert run["rc"] == 0, run["output"][-3000:]
    assert sorted(run["students"]) == sorted(a.student for a in MAIN)
    sections = split_report(run["report"], run["students"])
    for s in run["students"]:
        assert s in run["csv"], f"{s} missing from the CSV"
        score, max_score = run["csv"][s]
        assert 0 <= float(score) <= sum(TASKS.values()) and float(max_score) == MAX_SCORE, (s, score, max_score)
        assert run["scores"].get(s) is not None, f"{s} missing from the gradebook"
        assert s in sections, f"{s} missing from the report"


def test_grade_command_time_is_bounded_by_the_limits(result):
    """The slowest submission is stopped by the notebook limit; everything else is
    graded beside it. The command (torch import, gradebook, export) adds ~10 s."""
    lim = Limits()
    slow = [a for a in MAIN if a.order in ("0", "1")]
    # the 60 s one alone on one worker; the 10 s ones and the fast rest on the other(s)
    bound = max(lim.notebook_seconds, (len(slow) - 1) * lim.cell_seconds / max(WORKERS - 1, 1)) \
        + lim.startup_seconds + 30
    run = result["runs"]["main"]
    assert run["wall"] < bound, f"{run['wall']:.1f} s (bound {bound:.0f} s); graded at: {run['graded_at']}"


def test_nothing_outside_the_sandbox_is_touched(result):
    assert all(result["canaries"].values()), result["canaries"]
    assert all(result["protected"].values()), result["protected"]
    assert all(result["submissions_unchanged"].values()), \
        [p for p, ok in result["submissions_unchanged"].items() if not ok]
    assert result["marker_files"] == []


def test_no_network_connection_reaches_the_host(result):
    assert result["connections"] == []
    run = result["runs"]["main"]
    net = split_report(run["report"], run["students"])["adv5-network"]
    assert "127.0.0.1:" in net and "abstract unix socket" in net  # the attempts were made


def test_no_process_outlives_its_grading(result):
    run = result["runs"]["main"]
    assert {s: p for s, p in run["alive_after"].items() if p} == {}
    assert result["leftover_processes"] == []
    # the attacks did start their processes: the test would have seen survivors
    for name in ("spawn_background", "fork_flood", "spawn_flood", "forge_bad_types"):
        assert run["seen_alive"].get(f"adv5-{name}"), f"{name}: no process seen while grading"


def test_secrets_never_reach_the_reports(result):
    for tag, run in result["runs"].items():
        for what in ("report", "output"):
            for secret in result["secrets"].values():
                assert secret not in run[what], f"{tag} {what}"


def test_regrading_gives_identical_scores_and_feedback(result):
    main, again = result["runs"]["main"], result["runs"]["replay"]
    students = sorted(again["students"])
    assert again["rc"] == 0, again["output"][-3000:]
    assert students == sorted(a.student for a in MAIN if a.replay)
    assert again["scores"] == {s: main["scores"][s] for s in students}
    assert again["csv"] == {s: main["csv"][s] for s in students}
    sections = split_report(main["report"], main["students"])
    assert again["report"] == "\n\n".join(sections[s] for s in students) + "\n"


# ---------------------------------------------------------------- attacks that stop a batch
@pytest.mark.parametrize("attack", [pytest.param(a, id=a.name, marks=_marks(a, "batch")) for a in OWN])
def test_batch_survives(result, attack):
    run = result["runs"][f"own-{attack.name}"]
    assert run["rc"] == 0, run["output"][-2000:]
    assert run["scores"].get("adv5-control_honest") == TASKS
    for s in run["students"]:
        if s.encode(errors="replace") == s.encode(errors="surrogateescape"):  # a valid name
            assert s in run["csv"], f"{s} missing from the CSV"


def test_table_has_a_row_per_attack(result):
    rows = table(result).splitlines()[2:]
    assert len(rows) == len(ATTACKS)
    assert all(len(re.findall(r"(?<!\\)\|", r)) == 4 for r in rows), "a row with other than 3 cells"
