"""nncourse.interpret: occlusion_map against a one-copy-at-a-time loop oracle (odd sizes, fill,
batching), a model that looks at one patch only, and saliency against an autograd oracle."""

import numpy as np
import pytest
import torch
from torch import nn

from nncourse.interpret import model_proba, occlusion_map, saliency

pytestmark = pytest.mark.usefixtures("one_thread")


def _tiny_model(C=2, K=3, seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(C, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2),
                         nn.Flatten(), nn.Linear(16, K)).double()


def occlusion_oracle(predict_proba, image, label, patch, stride, fill):
    """One occluded copy per call, positions by hand."""
    C, H, W = image.shape
    base = predict_proba(image[None])[0, label]
    rows = []
    for top in range(0, H - patch + 1, stride):
        row = []
        for left in range(0, W - patch + 1, stride):
            copy = image.copy()
            copy[:, top:top + patch, left:left + patch] = fill
            row.append(base - predict_proba(copy[None])[0, label])
        rows.append(row)
    return np.array(rows)


@pytest.mark.parametrize("shape, patch, stride, fill", [
    ((2, 8, 8), 4, 4, 0.0), ((2, 7, 9), 3, 2, 0.5), ((2, 5, 5), 5, 1, -1.0), ((2, 11, 6), 2, 3, 0.25),
])
def test_occlusion_map_equals_loop_oracle(shape, patch, stride, fill):
    image = np.random.default_rng(0).uniform(size=shape)
    before = image.copy()
    proba = model_proba(_tiny_model())
    ours = occlusion_map(proba, image, 1, patch, stride, fill, batch_size=4)
    C, H, W = shape
    assert ours.shape == ((H - patch) // stride + 1, (W - patch) // stride + 1)
    np.testing.assert_allclose(ours, occlusion_oracle(proba, image, 1, patch, stride, fill), atol=1e-12)
    np.testing.assert_array_equal(image, before)


def test_occlusion_calls_predict_proba_in_batches():
    sizes = []

    def proba(X):
        sizes.append(len(X))
        return np.tile([0.25, 0.75], (len(X), 1))
    out = occlusion_map(proba, np.zeros((1, 12, 12)), 1, patch=3, stride=3, batch_size=5)
    assert out.shape == (4, 4) and (out == 0).all()
    assert sizes == [1, 5, 5, 5, 1]


def test_a_model_that_looks_at_one_patch_gives_one_nonzero_entry():
    def proba(X):                      # the class-0 probability grows with the patch (4:8, 8:12)'s mean
        s = X[:, :, 4:8, 8:12].mean(axis=(1, 2, 3))
        p0 = 1 / (1 + np.exp(-s))
        return np.stack([p0, 1 - p0], axis=1)
    image = np.ones((3, 16, 16))
    out = occlusion_map(proba, image, 0)
    assert out.shape == (4, 4)
    assert np.count_nonzero(out) == 1 and out[1, 2] == pytest.approx(1 / (1 + np.exp(-1)) - 0.5)
    # the fill value is what the patch is set to: filling with the image's own value changes nothing
    assert np.count_nonzero(occlusion_map(proba, image, 0, fill=1.0)) == 0
    assert occlusion_map(proba, image, 0, fill=3.0)[1, 2] < 0


def test_occlusion_bad_inputs_get_clear_errors():
    proba = model_proba(_tiny_model(C=1))
    with pytest.raises(ValueError, match=r"image must be a numeric array \(C, H, W\)"):
        occlusion_map(proba, np.zeros((8, 8)), 0)
    with pytest.raises(ValueError, match=r"patch \(9\) must fit in the image \(8 x 8\)"):
        occlusion_map(proba, np.zeros((1, 8, 8)), 0, patch=9)
    with pytest.raises(ValueError, match="stride must be a positive int"):
        occlusion_map(proba, np.zeros((1, 8, 8)), 0, stride=0)
    with pytest.raises(ValueError, match="K > label = 5"):
        occlusion_map(proba, np.zeros((1, 8, 8)), 5)
    with pytest.raises(ValueError, match="predict_proba must be callable"):
        occlusion_map(None, np.zeros((1, 8, 8)), 0)


@pytest.mark.parametrize("shape", [(2, 7, 5), (1, 28, 28)])
def test_saliency_equals_autograd_oracle(shape):
    model = _tiny_model(C=shape[0]).float()
    model.train()
    image = torch.rand(shape)
    sal = saliency(model, image.numpy(), 2)
    assert sal.shape == shape[1:] and model.training
    assert all(p.grad is None for p in model.parameters())
    model.eval()
    x = image[None].clone().requires_grad_(True)
    torch.softmax(model(x), dim=1)[0, 2].backward()
    np.testing.assert_allclose(sal, x.grad[0].abs().max(dim=0).values.numpy(), rtol=1e-6, atol=1e-12)


def test_saliency_is_zero_where_the_model_does_not_look():
    class Corner(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.tensor([1.0, -1.0]))

        def forward(self, x):
            return x[:, :, :2, :2].sum(dim=(1, 2, 3))[:, None] * self.w
    sal = saliency(Corner(), np.full((3, 5, 5), 0.1, dtype=np.float32), 0)
    assert (sal[:2, :2] > 0).all() and np.count_nonzero(sal) == 4
    with pytest.raises(ValueError, match=r"\(1, K\) logits with K > label = 2"):
        saliency(Corner(), np.zeros((3, 5, 5)), 2)
