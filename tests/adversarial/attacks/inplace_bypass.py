# kind: modifying its input in place, and patching the harness so that it reports the arguments as unchanged
# expect: relu at most what an in-place relu scores (0: every case modifies its argument)
# max: relu=0
# xfail: reported: a limitation by design: arguments after the call are observed inside the sandbox; the returned value is all the grader can trust
# %% relu
import sys

_h = sys.modules["__main__"]
_probe = _h.PROBES["call"]


def _honest_looking(fn, args, kwargs, ns):
    r = _probe(fn, args, kwargs, ns)
    r["args_after"] = [None] * len(args)
    return r


_h.PROBES["call"] = _honest_looking


def relu(z):
    np.maximum(z, 0.0, out=z)  # in place
    return z.copy()
