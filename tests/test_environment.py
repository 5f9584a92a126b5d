"""The pinned environment installs on every Python the README promises (3.11.0 and newer).

Debian 12's Python is 3.11.2, a common base of JupyterHub images: one pinned
package that needed 3.11.5 (soupsieve 4.1.2) made ``make setup`` fail there.
Every installed distribution, each at the version ``constraints.txt`` pins,
must accept the oldest Python the README names.
"""

import re
from importlib import metadata
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
FLOOR = "3.11.0"


def _pins() -> dict[str, str]:
    out = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def test_readme_names_the_floor():
    assert "3.11+" in (ROOT / "README.md").read_text()


def _installed(name: str):
    """The metadata import would use for ``name`` (the first on sys.path; setuptools vendors
    old copies of a few packages, which importlib.metadata also lists), or None."""
    try:
        return metadata.metadata(name), Version(metadata.version(name)).public   # 2.13.0+cpu -> 2.13.0
    except metadata.PackageNotFoundError:
        return None, None


def test_every_pinned_package_accepts_the_oldest_python():
    refused = []
    for name, pin in _pins().items():
        meta, version = _installed(name)
        if meta is None or version != pin:
            continue  # not installed here, or not the pinned version (the next test says so)
        spec = meta.get("Requires-Python")
        if spec and Version(FLOOR) not in SpecifierSet(spec):
            refused.append(f"{name}=={version} requires Python {spec}")
    assert not refused, "; ".join(refused)


def test_the_pins_are_what_is_installed():
    wrong = {}
    for name, pin in _pins().items():
        _, version = _installed(name)
        if version is not None and version != pin:
            wrong[name] = (pin, version)
    assert not wrong, f"installed versions differ from constraints.txt (pinned, installed): {wrong}"
