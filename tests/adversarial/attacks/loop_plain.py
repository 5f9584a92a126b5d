# kind: infinite loop at import time: while True: pass at the top of the sigmoid cell
# expect: sigmoid 0 (the cell is stopped at 10 s, the sandbox restarted without it); the other functions full marks
# max: sigmoid=0
# see: this cell took longer than its time limit of 10 s
# order: 1
# %% sigmoid
while True:
    pass


def sigmoid(z):
    return z
