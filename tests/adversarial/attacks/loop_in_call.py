# kind: infinite loop in a function the grader calls (not at import time): perceptron_train never returns (it sleeps in a loop: the limit is wall time, and an idle loop keeps this suite fast)
# expect: perceptron_train 0 (each call stopped at 10 s, the last by the notebook's 60 s); the three functions called before it full marks
# max: perceptron_train=0
# see: the call took longer than its time limit of 10 s
# order: 0
# %% perceptron_train
import time


def perceptron_train(X, y, lr=1.0, epochs=10):
    while True:
        time.sleep(1)
