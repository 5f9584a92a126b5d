# kind: torch after removing the grader's import hook from sys.meta_path and adding every site-packages it can guess to sys.path
# expect: sigmoid 0: torch's files are not in the sandbox (an empty directory imports as an empty namespace); the import is reported; the other functions full marks
# max: sigmoid=0
# see: imported forbidden modules: torch
# %% sigmoid
import glob
import sys

sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "Forbidden"]
sys.path += glob.glob("/usr/lib/python3*/*-packages") + glob.glob("/usr/local/lib/python3*/*-packages")
sys.path += glob.glob("/root/.pyenv/versions/*/lib/python3*/site-packages") + glob.glob("/opt/*/lib/python3*/site-packages")


def sigmoid(z):
    t = __import__("tor" + "ch")
    return t.sigmoid(t.from_numpy(np.asarray(z, dtype=np.float64))).numpy()
