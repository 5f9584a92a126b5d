# kind: import-time side effects on later cells: the sigmoid cell replaces sys.modules["numpy"] for later imports and patches the grader's harness (its probe and wire.encode) to report every later call as passed with zeros
# expect: 0 for everything: whatever the sandbox reports is only a value, judged outside; patched reporting can only misreport its own answers
# max: all=0
# see: wrong shape: got \(0,\)
# %% sigmoid
import sys
import types

harness = sys.modules["__main__"]
real_np = sys.modules["numpy"]
fake = types.ModuleType("numpy")
fake.__dict__.update(real_np.__dict__)
fake.allclose = lambda *a, **k: True
sys.modules["numpy"] = fake


def _probe(fn, args, kwargs, ns):
    return {"value": harness.wire.encode(real_np.zeros(3)), "args_after": [], "warnings": []}


harness.PROBES["call"] = _probe
harness.wire.encode = lambda x, *a, **k: {"__ndarray__": "", "dtype": "float64", "shape": [0]}


def sigmoid(z):
    return z
