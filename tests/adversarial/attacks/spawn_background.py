# kind: processes left behind: `sleep` in the background (new session, double fork, SIGHUP ignored), with a marker, next to a correct sigmoid
# expect: full marks (the answer is right); no process with its marker is alive once its grading ends (the test watches /proc)
# %% sigmoid
import os
import subprocess
import time

subprocess.Popen(["/bin/sh", "-c", "trap '' HUP TERM INT; sleep 1000; exit", "@@MARKER@@"],
                 start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL)
if os.fork() == 0:  # a daemon: double fork, setsid
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sh", ["/bin/sh", "-c", "trap '' HUP TERM INT; sleep 1000; exit", "@@MARKER@@"])
    os._exit(0)
time.sleep(1)  # long enough for the test to see them alive


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
