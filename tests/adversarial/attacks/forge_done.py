# kind: a forged "done" message (with no forbidden modules) sent from the first sigmoid call, then a correct return
# expect: 0 for everything: the grader stops reading at "done", every call not yet reported scores 0
# max: all=0
# see: not run: the submission broke the grader's channel
# use: channels
# %% sigmoid
import os


def sigmoid(z):
    for fd in _channels():
        os.write(fd, b'{"ev": "done", "modules": []}\n')
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
