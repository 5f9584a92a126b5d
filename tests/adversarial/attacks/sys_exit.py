# kind: sys.exit at import time (neuron_forward cell) and SystemExit raised when called (perceptron_train)
# expect: neuron_forward and perceptron_train 0; sigmoid and relu full marks
# max: neuron_forward=0 perceptron_train=0
# see: SystemExit
# %% neuron_forward
import sys

sys.exit(0)
# %% perceptron_train
import sys


def perceptron_train(X, y, lr=1.0, epochs=10):
    sys.exit(3)
