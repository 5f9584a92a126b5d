"""Fixtures shared by test modules."""

import pytest


@pytest.fixture
def one_thread():
    """Tiny torch models: one thread is fastest on a busy machine (extra threads
    mostly wait for each other), and results do not depend on how many threads
    a reduction was split over. Use with ``pytestmark = pytest.mark.usefixtures("one_thread")``."""
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


# ---------------------------------------------------------------- sharing work between xdist workers
# `make test` runs ``pytest -n 2 --dist loadgroup``. The tests of one group below
# run on one worker, so what they share is computed once, and no worker sits on
# a lock while the other computes it. pytest-xdist starts with the largest
# groups, so the book build (about 8 minutes of one worker) begins at once,
# while the other worker takes the rest of the suite.
#
# The groups are named here, from the test ids, rather than with
# ``pytest.mark.xdist_group``: pytest-xdist 3.8 reads those marks by renaming
# ``item._nodeid``, which pytest 9 no longer uses (a node's id is ``item._id``),
# so under pytest 9 the marks are silently ignored and every test is its own unit
# (pytest-dev/pytest-xdist#1386, open in November 2026).
def work_group(nodeid: str) -> str:
    """The unit of work that the test ``nodeid`` is scheduled with (itself if alone)."""
    path, _, name = nodeid.partition("::")
    if path == "tests/test_book.py" or name.startswith("test_chapter_prints_what_the_book_shows["):
        return "book"                   # nncourse.book.build_once, behind a file lock
    if path.startswith("tests/adversarial/"):
        return "adversarial"            # one grading run of every attack, behind a file lock
    if path == "tests/test_exercise_variants.py" and name.endswith("]"):
        return "variants-" + name[name.index("[") + 1:-1]   # one grade run per assignment
    if path in ("tests/test_cli.py", "tests/test_ddp.py"):
        return path                     # module-scoped fixtures (a class graded, a torchrun)
    return nodeid


@pytest.hookimpl(tryfirst=True, optionalhook=True)   # optional: also runs with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class WorkGroupScheduling(LoadScopeScheduling):
        """``--dist loadgroup`` with the groups of :func:`work_group`."""

        def _split_scope(self, nodeid: str) -> str:
            return work_group(nodeid)

    return WorkGroupScheduling(config, log)
