# task: build_cnn
# expect: less
# The chapter's CNN with a softmax at the end: CrossEntropyLoss applies its own
# softmax, so it sees probabilities as logits (double softmax).
import torch
from torch import nn


def build_cnn(num_classes):
    def block(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.MaxPool2d(2),
                nn.BatchNorm2d(c_out), nn.ReLU()]
    return nn.Sequential(*block(1, 16), *block(16, 32), nn.Flatten(),
                         nn.Linear(32 * 7 * 7, num_classes), nn.Softmax(dim=1))
