"""Probes of ``ch01_neuron``: calling an answer that must refuse its input.

``raises`` calls the answer and reports, as a string, what happened: the
name of the exception class for a ``ValueError`` (or a subclass of it),
``"raised <Name>"`` for any other exception, or ``"returned a value"``. The
same probe runs in the sandbox, in the notebook's visible checks and in the
grader. It needs only Python and NumPy.
"""

import warnings


def probe_raises(fn, args, kwargs, ns):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        old = np.seterr(all="ignore")
        try:
            fn(*args, **kwargs)
            what = "returned a value"
        except ValueError:
            what = "ValueError"
        except Exception as e:  # noqa: BLE001 - reported, never re-raised
            what = f"raised {type(e).__name__}"
        finally:
            np.seterr(**old)
    return {"value": wire.encode(what), "args_after": [None for _ in args], "warnings": []}


PROBES = {"raises": probe_raises}
