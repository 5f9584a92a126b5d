# kind: process flood with subprocess: Popen of `sleep` processes (with a marker) in a loop until it fails
# expect: sigmoid 0 (it reports how many it got); none alive once its grading ends; the other functions full marks
# max: sigmoid=0
# see: spawn flood: \d+ processes started, then
# %% sigmoid
import subprocess
import time

procs, last = [], None
for _ in range(10_000):
    try:
        procs.append(subprocess.Popen(["/bin/sh", "-c", "sleep 1000; exit", "@@MARKER@@"]))
    except OSError as e:
        last = e
        break

time.sleep(1)  # long enough for the test to see them alive


def sigmoid(z):
    raise RuntimeError(f"spawn flood: {len(procs)} processes started, then {type(last).__name__}: {last}")
