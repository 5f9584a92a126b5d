# kind: errors swallowed everywhere: try/except BaseException around the cell and the function, sys.excepthook silenced, with an unimplemented sigmoid
# expect: sigmoid 0: a call that returns nothing useful fails its checks; nothing is "passed" because no error was seen
# max: sigmoid=0
# see: expected a NumPy array of shape \(\d+,\), got a NoneType
# %% sigmoid
import sys

sys.excepthook = lambda *a: None
try:
    def sigmoid(z):
        try:
            raise NotImplementedError()
        except BaseException:  # noqa: BLE001
            return None
    assert False, "tests never run here"
except BaseException:  # noqa: BLE001
    pass
