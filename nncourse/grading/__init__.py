"""The course's autograder: student code in a sandbox, comparison outside it.

Modules: ``wire`` (the no-pickle value format), ``harness`` (runs inside the
sandbox), ``sandbox`` (bubblewrap, limits, supervision), ``checks`` (cases,
comparisons, diagnoses; each assignment's checks are in
``autograder/<assignment>/checks.py``), ``notebook`` (reading untrusted
submissions, rebuilding the graded notebook), ``grader`` (one submission,
a class), ``gradebook`` (nbgrader's database, CSV, feedback), ``release``
(the student release), ``inline`` (checks in the notebook), ``authoring``
(cells of a source notebook).
"""

import os
import sys


def _venv_bin_on_path() -> None:
    # nbgrader runs `alembic` and friends from PATH: make the venv's bin visible
    # also when the venv is not activated (e.g. `.venv/bin/nncourse ...`).
    bindir = os.path.dirname(sys.executable)
    path = os.environ.get("PATH", "")
    if bindir not in path.split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + path


_venv_bin_on_path()
