# task: build_cnn
# expect: full
# A different correct CNN, in the style of LeNet: conv -> ReLU -> max-pool twice,
# with biases and without batch norm, written as a module class.
import torch
from torch import nn
import torch.nn.functional as F


class SmallCNN(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)    # (N, 16, 28, 28)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)   # (N, 32, 14, 14)
        self.fc = nn.Linear(32 * 7 * 7, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)     # (N, 16, 14, 14)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)     # (N, 32, 7, 7)
        return self.fc(x.flatten(1))                   # (N, num_classes)


def build_cnn(num_classes):
    return SmallCNN(num_classes)
