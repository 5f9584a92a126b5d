# kind: extending its own time limit: the first sigmoid call re-sends "call_start" for itself every 0.1 s for 15 s (longer than the 10 s call limit), then returns the right value
# expect: 0 for everything: a step started twice garbles the channel at once (before the fix the call ran 15 s and was credited)
# max: all=0
# see: interfered with the grader's channel
# use: channels
# %% sigmoid
import json
import os
import sys
import time


def sigmoid(z):
    f, i = sys._getframe(1), None
    while f is not None and i is None:
        i = f.f_locals.get("i") if f.f_code.co_name == "main" else None
        f = f.f_back
    fds = _channels()
    t0 = time.monotonic()
    while time.monotonic() - t0 < 15:
        for fd in fds:
            os.write(fd, (json.dumps({"ev": "call_start", "i": i}) + "\n").encode())
        time.sleep(0.1)
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
