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
# `make test` runs ``pytest -n 2 --dist loadgroup``. Two things keep both workers busy:
#
# 1. Order (``pytest_collection_modifyitems``): the book build comes first, so
#    that one worker starts it at once; it is the suite's critical path (about 8
#    minutes alone, up to 16 beside the other worker). The tests that read the
#    build come last: whichever worker is free takes them, the other worker
#    included once it has run out of other work (it then waits for the build).
#    The chapters' fresh runs for the determinism check come just before them:
#    their run needs no build, only their comparison does.
# 2. Groups (``work_group``): tests that share a computation run on one worker,
#    so it is computed once, and no worker waits on a lock while the other
#    computes it.
#
# The groups are named here, from the test ids, rather than with
# ``pytest.mark.xdist_group``: pytest-xdist 3.8 reads those marks by renaming
# ``item._nodeid``, which pytest 9 no longer uses (a node's id is ``item._id``),
# so under pytest 9 the marks are silently ignored and every test is its own unit
# (pytest-dev/pytest-xdist#1386, open in November 2026).
BUILD_TEST = "tests/test_book.py::test_book_builds_without_warnings"


def run_order(nodeid: str) -> int:
    """0: the book build; 1: most tests; 2: fresh runs of chapters (then compared with
    the build); 3: the other tests of the built book."""
    path, _, name = nodeid.partition("::")
    if nodeid == BUILD_TEST:
        return 0
    if name.startswith("test_chapter_prints_what_the_book_shows["):
        return 2
    return 3 if path == "tests/test_book.py" else 1


def work_group(nodeid: str) -> str:
    """The unit of work that the test ``nodeid`` is scheduled with (itself if alone)."""
    path, _, name = nodeid.partition("::")
    param = name[name.index("[") + 1:-1] if name.endswith("]") else None
    if path == "tests/test_book.py" and param:
        return "book:" + param          # a page's checks share its rendered DOM
    if path.startswith("tests/adversarial/"):
        return "adversarial"            # one grading run of every attack, behind a file lock
    if path == "tests/test_exercise_variants.py" and param:
        return "variants-" + param      # one grade run per assignment
    if path in ("tests/test_cli.py", "tests/test_ddp.py", "tests/test_exchange.py", "tests/test_reports.py",
                "tests/test_postgres.py", "tests/test_cluster.py"):
        return path                     # module-scoped fixtures (a class graded, a torchrun, a term, a server,
                                        # a Dask scheduler and its workers)
    return nodeid


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: run_order(item.nodeid))   # stable: the order within each part stays


@pytest.hookimpl(tryfirst=True, optionalhook=True)   # optional: also runs with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class WorkGroupScheduling(LoadScopeScheduling):
        """``--dist loadgroup`` with the groups of :func:`work_group`, in collection order
        (not largest group first: the order above is the plan)."""

        def _split_scope(self, nodeid: str) -> str:
            return work_group(nodeid)

    config.option.loadscopereorder = False
    return WorkGroupScheduling(config, log)
