# kind: closing every file descriptor (the grader's channel included) at import time of the sigmoid cell
# expect: sigmoid 0 (the harness cannot report the cell: the cell is blamed, skipped on the restart); the other functions full marks
# max: sigmoid=0
# see: this cell ended the process
# %% sigmoid
import os

os.closerange(0, 4096)


def sigmoid(z):
    return z
