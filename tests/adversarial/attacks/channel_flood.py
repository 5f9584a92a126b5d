# kind: flooding the grader's channel: 100 MiB without a newline written to it during the first sigmoid call
# expect: 0 for everything (the channel is garbled at 64 MiB, quickly: before the fix the grader's quadratic buffering made every call "time out" and the notebook took 60 s)
# max: all=0
# see: interfered with the grader's channel
# never: took longer than its time limit
# use: channels
# %% sigmoid
import os


def sigmoid(z):
    blob = b"x" * (1 << 20)
    for fd in _channels():
        for _ in range(100):
            os.write(fd, blob)
    return z
