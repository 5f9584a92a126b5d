# task: build_cnn
# expect: less
# Convolutions that downsample with stride 2, but nothing nonlinear between
# them (no ReLU, no max pooling): the whole network is one linear map.
import torch
from torch import nn


def build_cnn(num_classes):
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, stride=2, padding=1),    # (N, 16, 14, 14)
        nn.Conv2d(16, 32, 3, stride=2, padding=1),   # (N, 32, 7, 7)
        nn.Flatten(),
        nn.Linear(32 * 7 * 7, num_classes),
    )
