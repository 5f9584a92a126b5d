# kind: reading the hidden tests and the reference from disk: solutions/ and autograder/ by relative and absolute paths (and through /proc/1/root and /proc/1/cwd), the checks, the key file, gradebook.db, other students' notebooks, and a walk of the whole visible filesystem (but site-packages) for *.ipynb, checks.py, *.db, .secret_key
# expect: sigmoid 0: nothing of the grader is visible in the sandbox (had it found the reference, it would have used it)
# max: sigmoid=0
# see: nothing from the grader
# %% sigmoid
import os
import time

PATHS = [
    "solutions/ch01_neuron/ch01_neuron.ipynb", "../solutions/ch01_neuron/ch01_neuron.ipynb",
    "../../solutions/ch01_neuron/ch01_neuron.ipynb", "../../../solutions/ch01_neuron/ch01_neuron.ipynb",
    "autograder/ch01_neuron/checks.py", "../autograder/ch01_neuron/checks.py",
    "@@REPO@@/solutions/ch01_neuron/ch01_neuron.ipynb", "@@REPO@@/autograder/ch01_neuron/checks.py",
    "@@REPO@@/autograder/.secret_key", "@@REPO@@/gradebook.db", "@@DB@@", "@@REPO@@/autograder/grades.csv",
    "@@REPO@@/nncourse/grading/checks.py", "@@REPO@@/nncourse/grading/grader.py",
    "@@SUBMISSIONS@@", "/proc/1/cwd/solutions/ch01_neuron/ch01_neuron.ipynb",
    "/proc/1/root/@@REPO@@/solutions/ch01_neuron/ch01_neuron.ipynb",
]
SIGNS = ("ch01_neuron", "perceptron_reference", "np.exp(-np.abs(z))")  # this course's files, not others
found, tried, walked = [], 0, 0
for p in PATHS:
    tried += 1
    try:
        if os.path.isdir(p):
            found.append((p, " ".join(os.listdir(p))))
        else:
            with open(p, errors="replace") as f:
                found.append((p, f.read()))
    except OSError:
        pass
t0 = time.monotonic()
for top, dirs, files in os.walk("/", onerror=None):
    dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev")
               and d not in ("site-packages", "__pycache__")]  # public packages: not the grader's
    if time.monotonic() - t0 > 3:
        break
    for name in files:
        walked += 1
        if name.endswith((".ipynb", ".db", ".csv")) or name in ("checks.py", ".secret_key", "grades.csv"):
            path = os.path.join(top, name)
            try:
                with open(path, errors="replace") as f:
                    text = f.read(2_000_000)
            except OSError:
                continue
            if any(s in text for s in SIGNS) or name in (".secret_key", "gradebook.db"):
                found.append((path, text))


def sigmoid(z):
    for path, text in found:
        if "np.exp(-np.abs(z))" in text:  # the reference's trick: use it
            z = np.asarray(z, dtype=np.float64)
            e = np.exp(-np.abs(z))
            return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    raise FileNotFoundError(f"tried {tried} paths, walked {walked} files: nothing from the grader "
                            f"(found: {[p for p, _ in found]})")
