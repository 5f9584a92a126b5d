# kind: output flood: 1 GiB printed in 1 MiB lines, then os.write to fd 1 and 2
# expect: sigmoid 0 (writes fail beyond the 1 MiB output limit); the other functions full marks
# max: sigmoid=0
# see: output flood: .*File too large
# %% sigmoid
import os

written, last = 0, None
line = "x" * (1 << 20)
try:
    for _ in range(1024):
        print(line, flush=True)
        written += 1
except OSError as e:
    last = e
for fd in (1, 2):
    try:
        os.write(fd, b"y" * (1 << 20))
    except OSError as e:
        last = e


def sigmoid(z):
    raise RuntimeError(f"output flood: {written} MiB written, then {type(last).__name__}: {last}")
