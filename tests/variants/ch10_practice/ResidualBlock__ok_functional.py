# task: ResidualBlock
# expect: full
# Correct: the modules hold the parameters and buffers; the forward pass is written with
# F.conv2d and F.batch_norm on them (running statistics updated in train mode).
class ResidualBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.stride = stride
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        layers = []
        if stride != 1 or in_channels != out_channels:
            layers = [nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                      nn.BatchNorm2d(out_channels)]
        self.shortcut = nn.Sequential(*layers)

    def _bn(self, x, bn):
        return F.batch_norm(x, bn.running_mean, bn.running_var, bn.weight, bn.bias,
                            training=self.training, momentum=0.1, eps=1e-5)

    def forward(self, x):
        out = F.conv2d(x, self.conv1.weight, stride=self.stride, padding=1)
        out = torch.relu(self._bn(out, self.bn1))
        out = self._bn(F.conv2d(out, self.conv2.weight, padding=1), self.bn2)
        if len(self.shortcut) == 0:
            short = x
        else:
            short = self._bn(F.conv2d(x, self.shortcut[0].weight, stride=self.stride), self.shortcut[1])
        return torch.relu(out + short)
