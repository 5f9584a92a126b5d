"""nncourse.tagger: the chapter-10 CNN (shapes, a Linear ``head``, its class constants)."""

import pytest
import torch
from torch import nn

from nncourse.datasets import FASHION_CLASSES
from nncourse.tagger import FASHION7_CLASSES, TAGGER_CLASSES, TAGGER_NAMES, build_tagger_cnn

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.parametrize("n, C, width", [(1, 3, 16), (4, 7, 16), (2, 10, 8)])
def test_shapes_and_head(n, C, width):
    torch.manual_seed(0)
    m = build_tagger_cnn(C, width=width)
    assert isinstance(m.head, nn.Linear) and m.head.in_features == 4 * width and m.head.out_features == C
    assert m(torch.rand(n, 1, 28, 28)).shape == (n, C)
    assert m.body(torch.rand(n, 1, 28, 28)).shape == (n, 4 * width)       # what a linear probe sees


def test_other_image_sizes_work():
    """The global average pool makes the network take any size >= 4 x 4."""
    assert build_tagger_cnn(3)(torch.rand(2, 1, 40, 33)).shape == (2, 3)


def test_head_is_the_only_last_layer():
    """Replacing ``head`` changes the output: nothing after it (what replace_head needs)."""
    torch.manual_seed(0)
    m = build_tagger_cnn(7).eval()
    m.head = nn.Linear(m.head.in_features, 3)
    assert m(torch.rand(2, 1, 28, 28)).shape == (2, 3)


def test_same_seed_same_weights():
    torch.manual_seed(5)
    a = build_tagger_cnn(3).state_dict()
    torch.manual_seed(5)
    b = build_tagger_cnn(3).state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize("shape", [(2, 28, 28), (2, 3, 28, 28)])
def test_bad_input_shape(shape):
    with pytest.raises(ValueError, match=r"x must be \(N, 1, H, W\)"):
        build_tagger_cnn(3)(torch.rand(*shape))


def test_bad_sizes():
    with pytest.raises(ValueError, match="num_classes and width must be >= 1"):
        build_tagger_cnn(0)


def test_class_constants():
    assert TAGGER_CLASSES == (0, 4, 6)
    assert TAGGER_NAMES == tuple(FASHION_CLASSES[c] for c in TAGGER_CLASSES) == ("T-shirt/top", "Coat", "Shirt")
    assert FASHION7_CLASSES == (1, 2, 3, 5, 7, 8, 9)
