# task: build_cnn
# expect: less
# The chapter's CNN with the number of classes hard-coded to 10: it trains
# well on Fashion-MNIST, but build_cnn(3) still has 10 outputs.
import torch
from torch import nn


def build_cnn(num_classes):
    def block(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.MaxPool2d(2),
                nn.BatchNorm2d(c_out), nn.ReLU()]
    return nn.Sequential(*block(1, 16), *block(16, 32), nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
