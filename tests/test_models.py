"""nncourse.models: the networks that chapter 6 and its benchmark share."""

import torch

from nncourse.models import build_cnn, build_mlp, count_parameters


def test_build_cnn_shapes_and_parameters():
    torch.manual_seed(0)
    model = build_cnn(10)
    x = torch.randn(5, 1, 28, 28)
    assert model(x).shape == (5, 10)
    assert build_cnn(3)(x).shape == (5, 3)
    # conv 1->16 (144) + BN (32) + conv 16->32 (4608) + BN (64) + linear 1568->10 (15690)
    assert count_parameters(model) == 144 + 32 + 4608 + 64 + 15690
    assert count_parameters(build_cnn(10, channels=(8, 8))) == 72 + 16 + 576 + 16 + 3930


def test_build_cnn_channels_last_gives_the_same_function():
    torch.manual_seed(0)
    model = build_cnn(10).eval()
    plain = build_cnn(10).eval()
    plain.load_state_dict(model.state_dict())
    plain = plain.to(memory_format=torch.contiguous_format)
    x = torch.randn(4, 1, 28, 28)
    with torch.no_grad():
        torch.testing.assert_close(model(x), plain(x), rtol=1e-5, atol=1e-5)


def test_build_cnn_trains():
    torch.manual_seed(0)
    model = build_cnn(2)
    x = torch.randn(32, 1, 28, 28)
    y = (x[:, 0, :14].mean(dim=(1, 2)) > x[:, 0, 14:].mean(dim=(1, 2))).long()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(30):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.3 * losses[0]


def test_build_mlp():
    torch.manual_seed(0)
    model = build_mlp(10)
    assert model(torch.randn(3, 1, 28, 28)).shape == (3, 10)
    assert count_parameters(model) == 784 * 256 + 256 + 256 * 10 + 10
    model.requires_grad_(False)
    assert count_parameters(model) == 0
