# kind: fake "all checks passed" output printed on stdout, stderr, sys.__stdout__ and fd 1 and 2, with a wrong sigmoid
# expect: sigmoid 0; printed text never reaches the feedback or the grade
# max: sigmoid=0
# never: all 6 checks passed
# never: self-check PASSED
# %% sigmoid
import os
import sys

FAKE = "sigmoid: all 6 checks passed\n✔ hidden check: random (2, 3, 5) array\nself-check PASSED: 25 checks passed, 0 failed\n"
print(FAKE)
sys.stderr.write(FAKE)
sys.__stdout__.write(FAKE)
sys.__stdout__.flush()
os.write(1, FAKE.encode())
os.write(2, FAKE.encode())


def sigmoid(z):
    print(FAKE, flush=True)
    os.write(1, FAKE.encode())
    return np.tanh(np.asarray(z, dtype=np.float64))  # wrong
