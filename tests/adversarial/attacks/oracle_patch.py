# kind: the oracle library patched: a fake torch in sys.modules and a builtins.__import__ hook returning it, with a wrong sigmoid and relu
# expect: sigmoid and relu 0: the oracles (torch) run in the grader, not in the student's process
# max: sigmoid=0 relu=0
# see: values differ
# see: imported forbidden modules: torch
# %% sigmoid
import builtins
import sys
import types

NAME = "tor" + "ch"  # not spelled out: the static check must not be what stops this
fake = types.ModuleType(NAME)
fake.from_numpy = lambda a: a
fake.sigmoid = lambda t: np.tanh(t)   # "the reference agrees with my answer"
fake.relu = lambda t: np.minimum(t, 0.0)
fake.allclose = lambda *a, **k: True
fake.testing = types.SimpleNamespace(assert_close=lambda *a, **k: None)
sys.modules[NAME] = fake
sys.modules[NAME + ".testing"] = fake.testing
_real_import = builtins.__import__


def _import(name, *args, **kwargs):
    if name.split(".")[0] == NAME:
        return fake
    return _real_import(name, *args, **kwargs)


builtins.__import__ = _import


def sigmoid(z):
    return np.tanh(np.asarray(z, dtype=np.float64))  # wrong
# %% relu
t = __import__("tor" + "ch")  # the fake one


def relu(z):
    return t.relu(z)  # wrong: np.minimum through the fake
