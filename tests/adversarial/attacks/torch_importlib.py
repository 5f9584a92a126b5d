# kind: torch through importlib.import_module with a computed name, in relu
# expect: relu 0: the import fails in the sandbox; the other functions full marks
# max: relu=0
# see: torch is not allowed in this exercise
# %% relu
import importlib


def relu(z):
    t = importlib.import_module("".join(["t", "o", "r", "c", "h"]))
    return t.relu(t.from_numpy(np.asarray(z, dtype=np.float64))).numpy()
