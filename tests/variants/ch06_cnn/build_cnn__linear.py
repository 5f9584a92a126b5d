# task: build_cnn
# expect: less
# No hidden layer at all: softmax regression on the pixels. It trains, but a
# linear model cannot reach the accuracy of a CNN.
def build_cnn(num_classes):
    from torch import nn
    return nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, num_classes))
