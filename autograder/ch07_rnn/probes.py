"""Probes of ``ch07_rnn``: ways of calling an answer that one plain call cannot.

``sample_counts`` drives ``sample_with_temperature``, whose single draw says
almost nothing: it calls the answer ``n`` times with one ``Generator`` and
reports how often each index came out, so that the grader can test the
counts against ``softmax(logits / temperature)``. It stops at the first
value that is not an integer index in ``range(len(logits))`` and says what
it was (a float, a one-hot array, an index out of range).

The module runs in the sandbox, in the student's notebook and in the grader;
it gets ``wire``, ``np`` and ``captured`` from the harness.
"""


def _index(value, n_classes):
    """``(index, None)`` if ``value`` is an integer index in ``range(n_classes)``,
    else ``(None, what it is)``."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iu":
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        return None, f"a bool ({value})"
    if isinstance(value, (int, np.integer)):
        k = int(value)
        if 0 <= k < n_classes:
            return k, None
        return None, f"the index {k}, outside range(0, {n_classes})"
    if isinstance(value, np.ndarray):
        return None, f"an array of shape {value.shape}"
    if isinstance(value, float):
        return None, f"a float ({value!r})"
    return None, f"an object of type {type(value).__name__}"


def probe_sample_counts(fn, args, kwargs, ns):
    """``fn(logits, temperature, rng)`` called ``n`` times with the same ``rng``, for
    ``args = (logits, temperature, rng, n)``. Value: ``(counts, problem)``, the number of
    draws of each index (an int64 array shaped like ``logits``) and ``""``, or the counts
    so far and what the first value that was not an index was."""
    logits, temperature, rng, n = args
    n_classes = len(logits)
    counts = np.zeros(n_classes, dtype=np.int64)

    def draw_all():
        for k in range(int(n)):
            index, what = _index(fn(logits, temperature, rng, **kwargs), n_classes)
            if what is not None:
                return f"call #{k + 1} returned {what}, not an int index in range(0, {n_classes})"
            counts[index] += 1
        return ""

    problem, warns = captured(draw_all)
    return {"value": wire.encode((counts, problem)),
            "args_after": [wire.encode(logits), None, None, None], "warnings": warns}


PROBES = {"sample_counts": probe_sample_counts}
