# kind: the naive, overflowing sigmoid 1/(1+exp(-z)) with its overflow warnings silenced inside the function (np.errstate, warnings.simplefilter)
# expect: sigmoid at most what the naive version scores (0: every check holds inputs where exp overflows, and none may warn)
# max: sigmoid=0
# xfail: reported: a limitation of checks.py: warnings are observed inside the sandbox, and a function can silence its own (the value is right, so only the warning check catches it)
# %% sigmoid
import warnings


def sigmoid(z):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))
