"""nncourse.data: shapes, dtypes, labels, determinism by seed, and clear errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncourse import data


def _check_xy(X, y, n):
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(np.unique(y)) <= {0, 1}
    assert np.all(np.isfinite(X))


# ---------------------------------------------------------------- generic contract of the 2-D generators
GENERATORS = {
    "two_blobs": lambda n, seed: data.two_blobs(n=n, seed=seed),
    "xor": lambda n, seed: data.xor(n=n, seed=seed),
    "linearly_separable": lambda n, seed: data.linearly_separable(n=n, seed=seed),
    "moons": lambda n, seed: data.moons(n=n, seed=seed),
}


@pytest.mark.parametrize("name", GENERATORS)
def test_shapes_dtypes_and_both_classes(name):
    X, y = GENERATORS[name](40, 0)
    _check_xy(X, y, 40)
    assert set(np.unique(y)) == {0, 1}


@pytest.mark.parametrize("name", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(name):
    X1, y1 = GENERATORS[name](30, 7)
    X2, y2 = GENERATORS[name](30, 7)
    X3, _ = GENERATORS[name](30, 8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", ["two_blobs", "xor", "linearly_separable", "moons"])
def test_generator_instead_of_seed(name):
    """A numpy Generator works as the seed and is advanced (never the global state)."""
    state = np.random.get_state()[1].copy()
    rng = np.random.default_rng(3)
    X1, _ = GENERATORS[name](20, rng)
    X2, _ = GENERATORS[name](20, rng)
    X3, _ = GENERATORS[name](20, np.random.default_rng(3))
    assert not np.array_equal(X1, X2)
    np.testing.assert_array_equal(X1, X3)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


# ---------------------------------------------------------------- two_blobs
def test_two_blobs_alternates_and_separates():
    X, y = data.two_blobs(n=200, seed=1, distance=6.0, scale=0.5)
    np.testing.assert_array_equal(y, np.arange(200) % 2)
    m0, m1 = X[y == 0].mean(axis=0), X[y == 1].mean(axis=0)
    np.testing.assert_allclose(m0, [-3.0, -1.5], atol=0.2)
    np.testing.assert_allclose(m1, [3.0, 1.5], atol=0.2)


def test_two_blobs_needs_two_points():
    with pytest.raises(ValueError, match="n >= 2"):
        data.two_blobs(n=1)


# ---------------------------------------------------------------- xor
def test_xor_truth_table():
    X, y = data.xor(n=4, noise=0.0)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


def test_xor_labels_follow_nearest_corner():
    X, y = data.xor(n=400, seed=2, noise=0.1)
    corner = np.round(np.clip(X, 0, 1))
    agree = (corner[:, 0] != corner[:, 1]).astype(int) == y
    assert agree.mean() > 0.97  # only points pushed across the middle disagree
    np.testing.assert_array_equal(np.bincount(y), [200, 200])


@pytest.mark.parametrize("kwargs, match", [({"n": 0}, "n >= 1"), ({"noise": -0.1}, "noise")])
def test_xor_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.xor(**kwargs)


# ---------------------------------------------------------------- linearly_separable
@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 60), seed=st.integers(0, 2**32 - 1), margin=st.floats(0.0, 1.0))
def test_linearly_separable_respects_margin(n, seed, margin):
    X, y, (w, b) = data.linearly_separable(n=n, seed=seed, margin=margin, return_boundary=True)
    _check_xy(X, y, n)
    assert np.linalg.norm(w) == pytest.approx(1.0)
    score = X @ w + b
    assert np.all(np.abs(score) >= margin)
    np.testing.assert_array_equal(y, (score > 0).astype(int))
    np.testing.assert_array_equal(y, (np.arange(n) % 2 == 0).astype(int))  # 1, 0, 1, 0, ...
    assert np.all(np.abs(X) <= 3.0)


def test_linearly_separable_bad_arguments():
    with pytest.raises(ValueError, match="n >= 2"):
        data.linearly_separable(n=1)
    with pytest.raises(ValueError, match="margin"):
        data.linearly_separable(margin=-0.1)
    with pytest.raises(ValueError, match="margin"):
        data.linearly_separable(margin=2.0, extent=3.0)


# ---------------------------------------------------------------- moons and digits
def test_moons_balanced():
    X, y = data.moons(n=100, seed=0)
    _check_xy(X, y, 100)
    np.testing.assert_array_equal(np.bincount(y), [50, 50])


def test_digits_split():
    Xtr, ytr, Xte, yte = data.digits(test_fraction=0.25, seed=0)
    assert Xtr.shape[1] == Xte.shape[1] == 64
    assert len(Xtr) + len(Xte) == 1797
    assert len(Xte) == pytest.approx(0.25 * 1797, abs=10)
    for X, y in ((Xtr, ytr), (Xte, yte)):
        assert X.dtype == np.float64 and y.dtype == np.int64
        assert X.min() >= 0.0 and X.max() <= 1.0
        assert len(X) == len(y)
    # stratified: every class has about a quarter of its images in the test set
    frac = np.bincount(yte, minlength=10) / (np.bincount(ytr, minlength=10) + np.bincount(yte, minlength=10))
    np.testing.assert_allclose(frac, 0.25, atol=0.01)
    # deterministic by seed, different with another seed
    again = data.digits(test_fraction=0.25, seed=0)
    np.testing.assert_array_equal(again[3], yte)
    np.testing.assert_array_equal(again[2], Xte)
    other = data.digits(test_fraction=0.25, seed=1)
    assert not np.array_equal(other[2], Xte)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.5, 1.5])
def test_digits_bad_fraction(fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        data.digits(test_fraction=fraction)
