"""Formgrader's "Autograde" action, done by the course's grader.

nbgrader's own autograde would run a student's notebook outside any sandbox,
and it cannot grade these exercises (their checks run outside the notebook:
it fails with "Inconsistent checksums" and deletes the student's graded
notebook on the way). ``nbgrader_config.py`` calls :func:`install`, so that
in every nbgrader process of the course, the formgrader's server included,
``NbGraderAPI.autograde(assignment, student)`` runs ``nncourse grade
<assignment> --student <student>`` instead: the sandboxed grader, for that one
student, writing to the same gradebook and graded-notebook folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _nncourse() -> str:
    exe = Path(sys.executable).with_name("nncourse")
    return str(exe) if exe.exists() else "nncourse"


def autograde(api, assignment_id: str, student_id: str, force: bool = True, create: bool = True) -> dict:
    """What ``NbGraderAPI.autograde`` returns (success, log, error), by the course's grader."""
    cd = api.coursedir
    submitted = Path(cd.format_path(cd.submitted_directory, ".", ".")).resolve()
    autograded = Path(cd.format_path(cd.autograded_directory, ".", ".")).resolve()
    cmd = [_nncourse(), "grade", assignment_id, "--submissions", str(submitted), "--student", student_id,
           "--autograded-dir", str(autograded), "--verbose"]
    env = dict(os.environ, NNCOURSE_DB_URL=cd.db_url)   # never on the command line
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600, cwd=cd.root)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"success": False, "error": f"nncourse grade could not run: {e}", "log": ""}
    out = {"success": p.returncode == 0, "log": p.stdout + p.stderr}
    if p.returncode != 0:
        out["error"] = (p.stderr or p.stdout).strip()[-2000:] or f"nncourse grade exited {p.returncode}"
    return out


def install() -> None:
    """Make ``NbGraderAPI.autograde`` (formgrader's Autograde button) use the course's grader."""
    try:
        from nbgrader.apps.api import NbGraderAPI
    except ImportError:
        return
    if getattr(NbGraderAPI.autograde, "_nncourse", False):
        return

    def patched(self, assignment_id, student_id, force=True, create=True):
        return autograde(self, assignment_id, student_id, force, create)

    patched._nncourse = True
    patched.__doc__ = autograde.__doc__
    NbGraderAPI.autograde = patched
