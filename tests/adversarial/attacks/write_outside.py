# kind: writing outside its folder: /tmp, $HOME, the repository, solutions/, the venv's site-packages (a .pth file would run in the grader), the submissions folder, /dev/shm, /var/tmp; overwriting canary files, the harness, numpy
# expect: sigmoid 0 (it reports what it managed); on the host, no new file and every canary and protected file unchanged
# max: sigmoid=0
# see: refused: \d+ of \d+; written \(inside the sandbox\): \['/tmp/advmark
# %% sigmoid
import os

TARGETS = [
    "/tmp/@@MARKER@@", os.path.expanduser("~/@@MARKER@@"), "/root/@@MARKER@@", "@@REPO@@/@@MARKER@@",
    "@@REPO@@/solutions/ch01_neuron/@@MARKER@@", "@@SITE@@/@@MARKER@@.pth", "@@SUBMISSIONS@@/@@MARKER@@",
    "/grader/@@MARKER@@", "/dev/shm/@@MARKER@@", "/var/tmp/@@MARKER@@", "@@REPO@@/autograder/@@MARKER@@",
    "@@CANARY_TMP@@", "@@CANARY_REPO@@", "@@CANARY_HOME@@", "@@CANARY_SITE@@",
    "/grader/harness.py", "/grader/wire.py", "@@REPO@@/nncourse/grading/harness.py",
    "@@SITE@@/numpy/__init__.py", "@@REPO@@/autograder/ch01_neuron/checks.py",
]
done, refused = [], 0
for t in TARGETS:
    try:
        os.makedirs(os.path.dirname(t), exist_ok=True)
        with open(t, "a") as f:
            f.write("import os  # @@MARKER@@\n")
        done.append(t)
    except OSError:
        refused += 1


def sigmoid(z):
    raise PermissionError(f"refused: {refused} of {len(TARGETS)}; written (inside the sandbox): {done}")
