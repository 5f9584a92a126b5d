# kind: infinite (sleeping) loop that catches KeyboardInterrupt and every other exception, and goes on
# expect: relu 0: the grader kills the process tree, it does not interrupt it; the other functions full marks
# max: relu=0
# see: this cell took longer than its time limit of 10 s
# order: 1
# %% relu
import time

while True:
    try:
        while True:
            time.sleep(1)
    except BaseException:  # noqa: BLE001
        continue


def relu(z):
    return np.maximum(z, 0.0)
