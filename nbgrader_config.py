"""nbgrader configuration of the course (used by `make release/grade/export/feedback`)."""
import os
import sys

# nbgrader runs `alembic` from PATH when it creates or upgrades a gradebook; a
# command run as `.venv/bin/nbgrader ...` (venv not activated) must find the
# venv's own (issue: the first `nbgrader collect` of a course failed).
_bin = os.path.dirname(sys.executable)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

c = get_config()  # noqa: F821 - provided by nbgrader

_root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = _root
c.CourseDirectory.course_id = "nn-from-the-neuron-up"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = "autograder/submitted"
c.CourseDirectory.autograded_directory = "autograder/autograded"
c.CourseDirectory.feedback_directory = "autograder/feedback"
# The gradebook: SQLite in the course folder, or the URL `nncourse` passes in the
# environment (NNCOURSE_DB_URL), never on a command line where `ps` shows its password.
c.CourseDirectory.db_url = os.environ.get("NNCOURSE_DB_URL") or "sqlite:///" + os.path.join(_root, "gradebook.db")
# The student release is generated (nncourse/grading/release.py marks it as such).
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Formgrader's "Autograde" button runs the course's sandboxed grader for that
# student (nncourse/grading/formgrader.py), never nbgrader's unsandboxed autograde.
try:
    from nncourse.grading.formgrader import install as _use_course_grader
except ImportError:  # nncourse not installed in this Python: nothing to change
    pass
else:
    _use_course_grader()
