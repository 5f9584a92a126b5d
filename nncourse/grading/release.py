"""The student release: ``nbgrader generate_assignment`` from ``solutions/`` into ``exercises/``.

The release is generated, never edited: after nbgrader has written it,
:func:`mark_generated` puts a locked banner cell and metadata in it, and
``tests/test_release.py`` fails when the committed release differs from
what this module generates.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat import v4

ROOT = Path(__file__).resolve().parents[2]
BANNER = ("**Generated file: do not edit.** This notebook is the student release of "
          "`solutions/{a}/{a}.ipynb`, made by `make release` (nbgrader generate_assignment). "
          "Work in it as a student; to change the exercise, edit the source and run `make release`.")


def mark_generated(path: Path, assignment: str) -> None:
    """Add the generated-file banner (locked) and metadata to a release notebook."""
    nb = nbformat.read(str(path), as_version=4)
    nb.metadata["nncourse"] = {"generated": True, "source": f"solutions/{assignment}/{assignment}.ipynb",
                               "generator": "nbgrader generate_assignment (make release)"}
    banner = v4.new_markdown_cell(BANNER.format(a=assignment), id="generated-banner")
    banner.metadata.update({"deletable": False, "editable": False})
    nb.cells.insert(0, banner)
    nbformat.write(nb, str(path))


def assignments() -> list[str]:
    return sorted(p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file())


def generate(assignment: str, root: Path = ROOT) -> Path:
    """Run nbgrader generate_assignment for ``assignment`` under course ``root``.

    A throwaway gradebook is used: a release never depends on (or changes)
    the instructor's grades.
    """
    exe = Path(sys.executable).with_name("nbgrader")
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run(
            [str(exe), "generate_assignment", assignment, "--force",
             f"--CourseDirectory.root={root}", f"--CourseDirectory.db_url=sqlite:///{tmp}/release.db"],
            cwd=ROOT, capture_output=True, text=True)
    out = root / "exercises" / assignment / f"{assignment}.ipynb"
    if r.returncode != 0 or not out.exists():
        raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n{r.stdout[-3000:]}{r.stderr[-3000:]}")
    put_starters(out, root / "solutions" / assignment / f"{assignment}.ipynb")
    mark_generated(out, assignment)
    return out


def put_starters(release_nb: Path, source_nb: Path) -> None:
    """Debugging tasks: the release's answer cell holds the provided buggy code
    (the source cell's ``metadata.nncourse.starter``), not nbgrader's stub."""
    src = nbformat.read(str(source_nb), as_version=4)
    starters = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nncourse"]["starter"]
                for c in src.cells if "starter" in c.metadata.get("nncourse", {})}
    if not starters:
        return
    nb = nbformat.read(str(release_nb), as_version=4)
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        if gid in starters:
            c.source = starters.pop(gid)
            c.metadata.pop("nncourse", None)
    if starters:
        raise RuntimeError(f"{release_nb}: no answer cell for the starters {sorted(starters)}")
    nbformat.write(nb, str(release_nb))


def generate_into(assignment: str, dest_root: Path) -> Path:
    """Generate the release in a scratch course root (for the drift test)."""
    (dest_root / "solutions").mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "solutions" / assignment, dest_root / "solutions" / assignment, dirs_exist_ok=True)
    return generate(assignment, dest_root)
