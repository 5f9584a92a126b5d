# kind: memory flood: one 50 GB array, then 50 GB in touched 100 MiB chunks, in the sigmoid cell
# expect: sigmoid 0 (MemoryError, then killed at the 2 GiB limit); the other functions full marks
# max: sigmoid=0
# see: memory limit of 2 GiB exceeded|this cell took longer than its time limit of 10 s
# %% sigmoid
try:
    big = np.ones(50 * 10**9 // 8)
except MemoryError:
    pass
hoard = []
for _ in range(500):
    hoard.append(np.ones(100 * 2**20 // 8))


def sigmoid(z):
    return z
