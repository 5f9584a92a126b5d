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
