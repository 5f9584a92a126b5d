# kind: numpy comparisons patched to always agree (np.allclose, isclose, array_equal, np.testing.assert_*), with a wrong sigmoid
# expect: sigmoid 0: the comparison runs in the grader's process, which never sees the patched numpy
# max: sigmoid=0
# see: values differ
# replay: yes
# %% sigmoid
import numpy as np
import numpy.testing

np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), dtype=bool)
np.array_equal = lambda *a, **k: True
np.array_equiv = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.testing.assert_array_equal = lambda *a, **k: None
np.testing.assert_array_almost_equal = lambda *a, **k: None
np.testing.assert_equal = lambda *a, **k: None


def sigmoid(z):
    return np.tanh(np.asarray(z, dtype=np.float64))  # wrong
