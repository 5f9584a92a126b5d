# kind: killing itself at import time: os._exit(0) in the sigmoid cell
# expect: sigmoid 0 (the cell is blamed and skipped on the restart); the other functions full marks
# max: sigmoid=0
# see: this cell ended the process \(exit status 0\)
# replay: yes
# %% sigmoid
import os

os._exit(0)
