"""nncourse.uploads: the simulated capture pipeline (seeded, light background, dark item,
and undone well enough by nncourse.shipping.preprocess_photo)."""

import numpy as np
import pytest
from PIL import Image

from nncourse.datasets import fashion_mnist
from nncourse.shipping import preprocess_photo
from nncourse.uploads import simulate_upload, simulated_uploads


@pytest.fixture(scope="module")
def images():
    X, y = fashion_mnist("test")
    return X[:40], y[:40]                                      # (40, 28, 28) uint8


def corr(a, b):
    return float(np.corrcoef(np.ravel(a), np.ravel(b))[0, 1])


def test_output_is_a_larger_rgb_uint8_photo(images):
    X, _ = images
    rng = np.random.default_rng(0)
    for x in X[:10]:
        p = simulate_upload(x, rng)
        assert p.dtype == np.uint8 and p.ndim == 3 and p.shape[2] == 3
        assert p.shape[0] == p.shape[1] and p.shape[0] >= 28 * 3      # enlarged 3-5x, with room around


def test_same_seed_same_photo_other_seed_other_photo(images):
    X, _ = images
    a = simulated_uploads(X[:5], np.random.default_rng(7))
    b = simulated_uploads(X[:5], np.random.default_rng(7))
    c = simulated_uploads(X[:5], np.random.default_rng(8))
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not any(p.shape == q.shape and np.array_equal(p, q) for p, q in zip(a, c))


def test_batch_is_the_loop_with_one_rng(images):
    X, _ = images
    rng = np.random.default_rng(3)
    loop = [simulate_upload(x, rng) for x in X[:4]]
    batch = simulated_uploads(X[:4], np.random.default_rng(3))
    assert len(batch) == 4 and all(np.array_equal(p, q) for p, q in zip(loop, batch))


def test_input_is_not_modified(images):
    X, _ = images
    before = X.copy()
    simulated_uploads(X[:3], np.random.default_rng(0))
    assert np.array_equal(X, before)


def test_background_is_light_and_the_item_dark(images):
    X, _ = images
    rng = np.random.default_rng(1)
    for x in X[:10]:
        g = np.asarray(Image.fromarray(simulate_upload(x, rng)).convert("L"), dtype=float)   # (S, S)
        border = np.concatenate([g[0], g[-1], g[:, 0], g[:, -1]])
        assert 185 < np.median(border) < 245                    # light grey sheet (levels 200-240, tinted)
        # the item's brightest Fashion-MNIST pixels are the photo's darkest: well below the background
        assert np.percentile(g, 1) < np.median(border) - 100


def test_the_item_is_placed_off_centre(images):
    X, _ = images
    rng = np.random.default_rng(2)
    offsets = []
    for x in X[:10]:
        g = np.asarray(Image.fromarray(simulate_upload(x, rng)).convert("L"), dtype=float)
        ys, xs = np.nonzero(g < np.median(g) - 60)
        offsets.append(((ys.mean() - g.shape[0] / 2) / g.shape[0], (xs.mean() - g.shape[1] / 2) / g.shape[1]))
    assert np.abs(np.array(offsets)).max() > 0.05              # some items are clearly away from the centre
    assert len({round(o[1], 2) for o in offsets}) > 5           # and not all in the same place


def test_preprocess_photo_recovers_the_original(images):
    """Measured on the first 600 test images (seed 0): correlation between
    ``preprocess_photo(simulate_upload(x))`` and ``x`` has minimum 0.40, 1st percentile
    0.53, median 0.89, mean 0.87 (the rotation of up to 8 degrees and the JPEG blocks
    are not undone; sparse sandals are the worst). Shrinking the whole photo to 28 x 28
    and inverting it, without the crop, gives a mean of 0.42. Bounds: 0.35 each, 0.8 on
    average, and the crop must beat the naive shrink by 0.3."""
    X, _ = images
    rng = np.random.default_rng(1)
    photos = simulated_uploads(X, rng)
    recovered = [corr(preprocess_photo(p), x) for p, x in zip(photos, X)]
    naive = [corr(255 - np.asarray(Image.fromarray(p).convert("L").resize((28, 28), Image.Resampling.LANCZOS),
                                   dtype=float), x) for p, x in zip(photos, X)]
    assert min(recovered) > 0.35
    assert np.mean(recovered) > 0.8
    assert np.mean(recovered) > np.mean(naive) + 0.3


@pytest.mark.parametrize("bad", [np.zeros((28, 28)), np.zeros((28, 27), np.uint8), np.zeros((1, 28, 28), np.uint8)])
def test_bad_image_is_refused(bad):
    with pytest.raises(ValueError, match=r"\(28, 28\) uint8"):
        simulate_upload(bad, np.random.default_rng(0))


def test_bad_rng_and_batch_are_refused():
    with pytest.raises(ValueError, match="Generator"):
        simulate_upload(np.zeros((28, 28), np.uint8), 0)
    with pytest.raises(ValueError, match=r"\(N, 28, 28\) uint8"):
        simulated_uploads(np.zeros((28, 28), np.uint8), np.random.default_rng(0))
