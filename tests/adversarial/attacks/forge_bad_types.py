# kind: forged messages of the wrong types on the channel (i a float, args_after a number), after starting a background process with a marker
# expect: 0 for everything (garbled channel), no grader error, and the background process is dead as soon as this student's grading ends
# max: all=0
# see: interfered with the grader's channel
# never: grader error
# use: channels
# %% sigmoid
import os
import subprocess
import time


def sigmoid(z):
    subprocess.Popen(["/bin/sh", "-c", "sleep 1000; exit", "@@MARKER@@"], start_new_session=True)
    time.sleep(1)  # long enough for the test to see it alive
    os.write(_channels()[0], b'{"ev": "call_end", "i": 0.0, "ok": true, "args_after": 5, "warnings": 7}\n')
    time.sleep(1000)
