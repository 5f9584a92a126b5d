"""The only format in which values cross the sandbox boundary: JSON, no pickle.

Arrays travel as ``{"__ndarray__": base64, "dtype": str, "shape": [...]}``,
tuples and lists as JSON lists (tuples tagged), Python scalars as JSON
numbers. Anything else is reported by type name only and never
reconstructed. :func:`decode` runs in the trusted grader: it builds arrays
with ``numpy.frombuffer`` from a whitelist of plain dtypes, checks sizes,
and executes nothing.

This file is copied into the sandbox next to ``harness.py``; it may import
only the standard library and numpy.
"""

from __future__ import annotations

import base64
import math

import numpy as np

ALLOWED_DTYPES = frozenset(
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
     "float16", "float32", "float64"]
)
MAX_ELEMENTS = 5_000_000
MAX_DEPTH = 8
MAX_BYTES = 56 * 2**20  # one encoded value in all: a MAX_ELEMENTS float64 array fits, and
# the message carrying it stays under what the grader reads (sandbox.MAX_MESSAGE, 64 MiB)


def safe_text(x, limit: int) -> str:
    """Text from the sandbox, made safe to print and write: no lone surrogates (they
    make every UTF-8 write of the report raise) and no terminal control characters."""
    s = str(x)[:limit].encode("utf-8", "replace").decode("utf-8")
    return "".join(c if c.isprintable() or c in "\n\t" else "\ufffd" for c in s)


class Unsupported:
    """A value the sandbox could not encode (shown as its type name only)."""

    def __init__(self, type_name: str):
        self.type_name = safe_text(type_name, 80)

    def __repr__(self) -> str:
        return f"<unsupported {self.type_name}>"

    def __eq__(self, other):  # plain identity semantics for tests
        return isinstance(other, Unsupported) and other.type_name == self.type_name

    __hash__ = None


class WireError(ValueError):
    """A message from the sandbox that is not a well-formed value."""


# ---------------------------------------------------------------- encode (sandbox side)
class _TooLarge(Exception):
    pass


def encode(x, depth: int = 0, _budget: list | None = None):
    """Encode ``x`` into JSON-compatible data; unknown types become a type tag. A value
    whose encoding would exceed ``MAX_BYTES`` becomes a single tag: sent whole, it would
    be more than the grader reads (e.g. a long list of large arrays)."""
    if _budget is None:
        try:
            return encode(x, depth, [MAX_BYTES])
        except _TooLarge:
            return {"__unsupported__": f"{type(x).__name__} too large to send (over {MAX_BYTES // 2**20} MiB)"[:100]}
    t = type(x)
    _budget[0] -= 32 + (6 * min(len(x), 200) if t is str else 0)  # about its JSON size
    if _budget[0] < 0:
        raise _TooLarge
    if depth > MAX_DEPTH:
        return {"__unsupported__": "too deeply nested"}
    if x is None or t is bool or t is str:
        return x if t is not str else {"__str__": x[:200]}
    if t is int:
        return x if abs(x) < 2**63 else {"__unsupported__": "int too large"}
    if t is float:
        return _enc_float(x)
    if isinstance(x, np.generic):
        x = np.asarray(x)
    if isinstance(x, np.ndarray):
        arr = np.asarray(x).view(np.ndarray)  # drop subclasses (np.matrix, custom)
        if arr.dtype.name not in ALLOWED_DTYPES or arr.size > MAX_ELEMENTS:
            return {"__unsupported__": f"ndarray of dtype {arr.dtype} and size {arr.size}"}
        _budget[0] -= 4 * ((arr.nbytes + 2) // 3)  # its base64 text
        if _budget[0] < 0:
            raise _TooLarge
        arr = arr.copy(order="C")  # (np.ascontiguousarray would turn 0-d into 1-d)
        return {"__ndarray__": base64.b64encode(arr.tobytes()).decode("ascii"),
                "dtype": arr.dtype.name, "shape": list(arr.shape)}
    if t is tuple or t is list:
        items = [encode(v, depth + 1, _budget) for v in x[:10_000]]
        return {"__tuple__": items} if t is tuple else {"__list__": items}
    return {"__unsupported__": f"{t.__module__}.{t.__qualname__}"[:100]}


def _enc_float(v: float):
    if math.isfinite(v):
        return v
    return {"__float__": "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")}


# ---------------------------------------------------------------- decode (grader side)
def decode(d, depth: int = 0):
    """Rebuild a value encoded by :func:`encode`; raise :class:`WireError` if malformed."""
    if depth > MAX_DEPTH + 1:
        raise WireError("value nested too deeply")
    if d is None or type(d) in (bool, int, float):
        if type(d) is int and abs(d) >= 2**63:
            raise WireError("integer out of range")
        return d
    if type(d) is list:
        raise WireError("bare list in message")
    if type(d) is not dict or len(d) == 0:
        raise WireError(f"unexpected {type(d).__name__} in message")
    if "__ndarray__" in d:
        if set(d) != {"__ndarray__", "dtype", "shape"}:
            raise WireError("malformed array")
        dtype, shape, data = d["dtype"], d["shape"], d["__ndarray__"]
        if dtype not in ALLOWED_DTYPES:
            raise WireError(f"dtype {dtype!r} not allowed")
        if (type(shape) is not list or len(shape) > 32
                or not all(type(s) is int and 0 <= s <= MAX_ELEMENTS for s in shape)):
            raise WireError("malformed shape")
        n = math.prod(shape)
        if n > MAX_ELEMENTS or type(data) is not str:
            raise WireError("array too large or malformed")
        try:
            raw = base64.b64decode(data.encode("ascii"), validate=True)
        except (ValueError, UnicodeError) as e:
            raise WireError("malformed array data") from e
        dt = np.dtype(dtype)
        if len(raw) != n * dt.itemsize:
            raise WireError("array data does not match its shape")
        return np.frombuffer(raw, dtype=dt).reshape(shape).copy()
    if len(d) != 1:
        raise WireError("malformed value")
    (key, val), = d.items()
    if key in ("__tuple__", "__list__"):
        if type(val) is not list:
            raise WireError("malformed sequence")
        items = [decode(v, depth + 1) for v in val]
        return tuple(items) if key == "__tuple__" else items
    if key == "__float__" and val in ("nan", "inf", "-inf"):
        return float(val)
    if key == "__str__" and type(val) is str:
        return val
    if key == "__unsupported__" and type(val) is str:
        return Unsupported(val)
    raise WireError(f"unknown tag {key!r}")
