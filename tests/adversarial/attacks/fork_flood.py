# kind: fork flood: os.fork() in a loop, every child turned into a sleeping process (with a marker), until fork fails 50 times
# expect: sigmoid 0 (it reports how many processes it got); at most 32 processes; none alive once its grading ends; the other functions full marks
# max: sigmoid=0
# (on a busy machine, 31 interpreter start-ups can outlast the cell's 10 s of wall time: then the cell
#  is stopped instead; either way it scores 0, stays within 32 processes and leaves none behind)
# see: fork flood: ([0-9]|[12][0-9]|3[01]) processes started|answer cell failed: this cell took longer than its time limit
# %% sigmoid
import os
import sys
import time

started, failures, last = 0, 0, None
while failures < 50:
    try:
        pid = os.fork()
    except OSError as e:
        failures, last = failures + 1, e
        time.sleep(0.01)
        continue
    if pid == 0:
        try:
            os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(1000)", "@@MARKER@@"])
        finally:
            os._exit(0)
    started += 1

time.sleep(1)  # long enough for the test to see them alive


def sigmoid(z):
    raise RuntimeError(f"fork flood: {started} processes started, then {type(last).__name__}: {last}")
