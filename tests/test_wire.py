"""The no-pickle value format: round trips, and rejection of anything malformed."""

import json

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

from nncourse.grading import wire

DTYPES = st.sampled_from(["float64", "float32", "int64", "int32", "bool", "uint8"])


@given(hnp.arrays(DTYPES, hnp.array_shapes(min_dims=0, max_dims=4, max_side=5)))
def test_arrays_round_trip_through_json(a):
    b = wire.decode(json.loads(json.dumps(wire.encode(a))))
    assert b.dtype == a.dtype and b.shape == a.shape
    assert np.array_equal(a, b, equal_nan=True)


def test_scalars_sequences_and_non_finite():
    x = (1, 2.5, float("nan"), float("inf"), None, True, [np.float64(3.0), np.arange(3)])
    y = wire.decode(json.loads(json.dumps(wire.encode(x))))
    assert y[0] == 1 and y[1] == 2.5 and np.isnan(y[2]) and y[3] == float("inf") and y[4] is None
    assert y[5] is True and isinstance(y, tuple) and isinstance(y[6], list)
    assert y[6][0].shape == () and np.array_equal(y[6][1], np.arange(3))


def test_unknown_objects_travel_as_type_names_only():
    class Sneaky:
        def __eq__(self, other):
            return True

    got = wire.decode(wire.encode(Sneaky()))
    assert isinstance(got, wire.Unsupported) and "Sneaky" in got.type_name
    obj = wire.decode(wire.encode(np.array([object()], dtype=object)))
    assert isinstance(obj, wire.Unsupported)


def test_ndarray_subclasses_lose_their_methods():
    class Always(np.ndarray):
        def __eq__(self, other):
            return True

    a = np.arange(3.0).view(Always)
    b = wire.decode(wire.encode(a))
    assert type(b) is np.ndarray and np.array_equal(b, [0.0, 1.0, 2.0])


@pytest.mark.parametrize("bad", [
    [1, 2],
    {"__ndarray__": "AAAA", "dtype": "object", "shape": [1]},
    {"__ndarray__": "AAAA", "dtype": "float64", "shape": [5]},
    {"__ndarray__": "!!!", "dtype": "uint8", "shape": [1]},
    {"__ndarray__": "AA==", "dtype": "uint8", "shape": [-1]},
    {"__ndarray__": "", "dtype": "uint8", "shape": [10**9, 10**9]},
    {"__pickle__": "gASV"},
    {"__tuple__": "x"},
    {"a": 1, "b": 2},
    2**70,
])
def test_malformed_messages_are_rejected(bad):
    with pytest.raises(wire.WireError):
        wire.decode(bad)
