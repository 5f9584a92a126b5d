# kind: import-time side effect: the top of the sigmoid cell sleeps for an hour before defining a correct sigmoid
# expect: sigmoid 0 (cell stopped at 10 s); the other functions full marks
# max: sigmoid=0
# see: this cell took longer than its time limit of 10 s
# order: 1
# %% sigmoid
import time

time.sleep(3600)


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
