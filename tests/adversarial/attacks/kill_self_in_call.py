# kind: killing itself when called: os.kill(os.getpid(), SIGKILL) in relu
# expect: relu 0 (every call killed, the sandbox restarted after each); the other functions full marks
# max: relu=0
# see: the call was killed \(SIGKILL
# replay: yes
# %% relu
import os
import signal


def relu(z):
    os.kill(os.getpid(), signal.SIGKILL)
