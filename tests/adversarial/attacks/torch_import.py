# kind: torch in the NumPy exercise: `import torch` in the sigmoid cell, used to compute the right answer
# expect: sigmoid 0, flagged before running (static check) and torch absent from the sandbox anyway; the other functions full marks
# max: sigmoid=0
# see: not credited: the answer uses torch
# %% sigmoid
import torch


def sigmoid(z):
    return torch.sigmoid(torch.from_numpy(np.asarray(z, dtype=np.float64))).numpy()
