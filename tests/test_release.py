"""The committed student release is exactly what `make release` generates."""

import json

import pytest

from nncourse.grading import release
from nncourse.grading.grader import release_path

pytestmark = pytest.mark.slow


def _strip_ids(nb):
    for c in nb["cells"]:
        c.pop("id", None)  # nbformat assigns random cell ids to new cells
    return nb


@pytest.mark.parametrize("assignment", release.assignments())
def test_release_in_sync_with_source(assignment, tmp_path):
    fresh = release.generate_into(assignment, tmp_path)
    committed = release_path(assignment)
    assert committed.exists(), f"{committed} is missing: run `make release`"
    a, b = json.loads(fresh.read_text()), json.loads(committed.read_text())
    assert _strip_ids(a) == _strip_ids(b), (
        f"{committed} differs from what `make release` generates from solutions/: run `make release`")


@pytest.mark.parametrize("assignment", release.assignments())
def test_release_is_marked_and_has_no_solutions(assignment):
    nb = json.loads(release_path(assignment).read_text())
    assert nb["metadata"]["nncourse"]["generated"] is True
    assert "Generated file: do not edit" in "".join(nb["cells"][0]["source"])
    text = json.dumps(nb)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "hidden=True"):
        assert marker not in text
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
