# kind: a message nested 100 000 deep on the grader's channel (json.loads raises RecursionError, not ValueError)
# expect: 0 for everything (garbled channel), no grader error
# max: all=0
# see: interfered with the grader's channel
# never: grader error
# use: channels
# %% sigmoid
import os


def sigmoid(z):
    for fd in _channels():
        os.write(fd, b"[" * 100_000 + b"]" * 100_000 + b"\n")
    return z
