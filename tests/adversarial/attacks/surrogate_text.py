# kind: text that breaks writers: an exception message with a lone surrogate and terminal escape sequences, a module name with a surrogate in sys.modules
# expect: sigmoid 0, the other functions full marks, and the report is written (before the fix: `grade --report` stopped with a UnicodeEncodeError)
# max: sigmoid=0
# see: RuntimeError: bad \? text
# %% sigmoid
import sys
import types

sys.modules["tor" + "ch.\udcff\x1b[2J"] = types.ModuleType("x")


def sigmoid(z):
    raise RuntimeError("bad \ud800 text \x1b[2J\x1b]0;owned\x07")
