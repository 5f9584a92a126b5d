# kind: looking for the grader's key and the instructor's secrets: os.environ, /proc/*/environ (bwrap runs as the sandbox's PID 1) and /proc/*/cmdline
# expect: sigmoid 0 and nothing found: the sandbox gets a clean environment, and so does bwrap itself
# max: sigmoid=0
# see: secrets found: \[\]
# never: @@KEY@@
# never: @@TOKEN@@
# %% sigmoid
import os

WANT = (b"NNCOURSE", b"GRADER_KEY", b"INSTRUCTOR_TOKEN", b"@@KEY@@", b"@@TOKEN@@")
hits = []
for k, v in os.environ.items():
    if any(w.decode() in k + "=" + v for w in WANT):
        hits.append(f"os.environ: {k}={v}")
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    for what in ("environ", "cmdline"):
        try:
            with open(f"/proc/{pid}/{what}", "rb") as f:
                entries = f.read().split(b"\0")
        except OSError:
            continue
        hits += [f"/proc/{pid}/{what}: {e.decode(errors='replace')[:80]}" for e in entries
                 if any(w in e for w in WANT)]


def sigmoid(z):
    raise PermissionError(f"secrets found: {hits}")
