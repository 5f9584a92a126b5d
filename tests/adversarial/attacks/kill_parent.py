# kind: killing the grader: SIGKILL to the parent (os.getppid()), to every process whose command line names the gradebook, and to its own and its parent's process groups (os.killpg)
# expect: sigmoid and relu 0 (they report what they could reach, then kill themselves); the grade command finishes and grades everyone
# max: sigmoid=0 relu=0
# see: grader processes found: \[\]
# %% sigmoid
import os
import signal

found = []
for pid in os.listdir("/proc"):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"@@DB@@" in f.read():  # only the grade command's command line names it
                found.append(int(pid))
    except (OSError, ValueError):
        pass
for pid in found:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
parent = os.getppid()
for target in (lambda: os.kill(parent, signal.SIGKILL), lambda: os.killpg(os.getpgid(parent), signal.SIGKILL)):
    try:
        target()
    except OSError:
        pass


def sigmoid(z):
    raise ProcessLookupError(f"grader processes found: {found}; parent pid {parent}")
# %% relu
import os
import signal


def relu(z):
    os.killpg(0, signal.SIGKILL)  # its whole process group, itself included
