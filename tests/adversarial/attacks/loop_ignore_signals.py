# kind: infinite (sleeping) loop after ignoring SIGINT, SIGTERM, SIGHUP, SIGALRM, SIGUSR1, SIGXCPU (signal.SIG_IGN), in the neuron_forward cell
# expect: neuron_forward 0 (SIGKILL cannot be ignored); the other functions full marks
# max: neuron_forward=0
# see: this cell took longer than its time limit of 10 s
# order: 1
# %% neuron_forward
import signal
import time

for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM, signal.SIGUSR1, signal.SIGXCPU):
    signal.signal(s, signal.SIG_IGN)
while True:
    time.sleep(1)


def neuron_forward(X, w, b, activation):
    return activation(X @ w + b)
