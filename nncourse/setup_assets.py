"""Put in place the offline assets that the build needs (run by ``make setup``).

- MathJax 3, copied from the ``django-static-mathjax`` wheel into
  ``.mathjax/_static/mathjax`` so that the book serves it itself: the
  ``_config.yml`` adds ``.mathjax`` to Sphinx's ``html_extra_path`` (files
  copied verbatim, not turned into script tags as ``_static`` would be).
- the offline data sets of :mod:`nncourse.datasets` (Fashion-MNIST, Shakespeare),
  verified by checksum.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MATHJAX_DEST = ROOT / ".mathjax" / "_static" / "mathjax"


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


def main() -> int:
    install_mathjax()
    from . import datasets

    try:
        datasets.fetch_all()
    except (RuntimeError, OSError) as e:
        print(f"setup: could not fetch a data set: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
