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
# `make test` runs ``pytest -n 2 --dist loadgroup``: each group below runs on one
# worker, so what its tests share is computed once, and no worker sits on a lock
# while the other computes it. pytest-xdist starts with the largest groups, so
# the book build (about 8 minutes of one worker) begins at once, while the other
# worker takes everything else.
def _group(item) -> str | None:
    path = item.path.relative_to(item.config.rootpath).as_posix()
    if path == "tests/test_book.py" or item.originalname == "test_chapter_prints_what_the_book_shows":
        return "book"                     # nncourse.book.build_once, behind a file lock
    if path.startswith("tests/adversarial/"):
        return "adversarial"              # one grading run of every attack, behind a file lock
    if path == "tests/test_exercise_variants.py":
        return f"variants-{item.callspec.params['graded']}"   # one grade run per assignment
    if path in ("tests/test_cli.py", "tests/test_ddp.py"):
        return path                       # module-scoped fixtures (a class graded, a torchrun)
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        group = _group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
