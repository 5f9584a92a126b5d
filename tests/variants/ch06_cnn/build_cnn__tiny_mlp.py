# task: build_cnn
# expect: less
# An MLP with a hidden layer of 8 units: too narrow to learn the classes well.
from torch import nn


def build_cnn(num_classes):
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 8), nn.ReLU(), nn.Linear(8, num_classes))
