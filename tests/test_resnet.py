"""nncourse.resnet: the residual block's shapes and shortcut, its output against torch's functional
ops, the syllabus's state_dict keys, and the plain network's gradients against the residual one's."""

import math

import pytest
import torch
import torch.nn.functional as F

from nncourse.resnet import PlainBlock, ResidualBlock, build_resnet, gradient_norms

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.parametrize("c_in, c_out, stride, h, w", [
    (3, 3, 1, 8, 8), (3, 5, 1, 7, 9), (4, 4, 2, 7, 7), (4, 8, 2, 28, 28), (2, 6, 2, 5, 6), (2, 2, 3, 10, 11),
])
def test_block_output_shape_is_ceil_of_size_over_stride(c_in, c_out, stride, h, w):
    torch.manual_seed(0)
    x = torch.randn(2, c_in, h, w)
    for block in (ResidualBlock(c_in, c_out, stride), PlainBlock(c_in, c_out, stride)):
        assert block(x).shape == (2, c_out, math.ceil(h / stride), math.ceil(w / stride))


def test_identity_or_projection_shortcut():
    assert len(ResidualBlock(4, 4, 1).shortcut) == 0
    for block in (ResidualBlock(4, 8, 1), ResidualBlock(4, 4, 2), ResidualBlock(4, 8, 2)):
        conv, bn = block.shortcut
        assert isinstance(block.shortcut, torch.nn.Sequential)
        assert isinstance(conv, torch.nn.Conv2d) and conv.kernel_size == (1, 1) and conv.bias is None
        assert conv.stride == (block.conv1.stride[0],) * 2
        assert isinstance(bn, torch.nn.BatchNorm2d) and bn.num_features == block.conv2.out_channels


def test_state_dict_with_the_syllabus_keys_loads_strictly():
    weights = {"conv1.weight": (8, 4, 3, 3), "conv2.weight": (8, 8, 3, 3), "shortcut.0.weight": (8, 4, 1, 1)}
    state = {k: torch.randn(s) for k, s in weights.items()}
    for bn in ("bn1", "bn2", "shortcut.1"):
        state.update({f"{bn}.weight": torch.rand(8) + 0.5, f"{bn}.bias": torch.randn(8),
                      f"{bn}.running_mean": torch.randn(8), f"{bn}.running_var": torch.rand(8) + 0.5,
                      f"{bn}.num_batches_tracked": torch.tensor(3)})
    block = ResidualBlock(4, 8, stride=2)
    block.load_state_dict(state, strict=True)
    identity = ResidualBlock(8, 8)
    assert not any(k.startswith("shortcut") for k in identity.state_dict())
    assert set(PlainBlock(8, 8).state_dict()) == set(identity.state_dict())
    # batch norms with PyTorch's defaults
    assert block.bn1.eps == 1e-5 and block.bn1.momentum == 0.1 and block.bn1.affine
    assert not block.conv1.bias and not block.conv2.bias


def _bn(x, bn):
    return F.batch_norm(x, bn.running_mean, bn.running_var, bn.weight, bn.bias, training=False, eps=bn.eps)


@pytest.mark.parametrize("c_in, c_out, stride", [(4, 4, 1), (3, 6, 2), (4, 4, 2)])
def test_block_equals_functional_oracle_in_eval_mode(c_in, c_out, stride):
    torch.manual_seed(1)
    block = ResidualBlock(c_in, c_out, stride)
    for m in block.modules():                       # non-trivial batch-norm statistics and affine
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_()
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.normal_()
    block.eval()
    x = torch.randn(3, c_in, 9, 8)
    out = F.relu(_bn(F.conv2d(x, block.conv1.weight, stride=stride, padding=1), block.bn1))
    out = _bn(F.conv2d(out, block.conv2.weight, padding=1), block.bn2)
    if len(block.shortcut):
        short = _bn(F.conv2d(x, block.shortcut[0].weight, stride=stride), block.shortcut[1])
    else:
        short = x
    with torch.no_grad():
        torch.testing.assert_close(block(x), F.relu(out + short))
        torch.testing.assert_close(PlainBlock.forward(block, x), F.relu(out))


def test_bad_inputs_get_clear_errors():
    with pytest.raises(ValueError, match="stride must be a positive int"):
        ResidualBlock(3, 3, 0)
    with pytest.raises(ValueError, match=r"x must be \(N, 3, H, W\)"):
        ResidualBlock(3, 3)(torch.randn(2, 4, 5, 5))
    with pytest.raises(ValueError, match="depth must be 6n \\+ 2"):
        build_resnet(19, 10)
    with pytest.raises(ValueError, match="num_classes"):
        build_resnet(8, 0)
    with pytest.raises(ValueError, match="y must be int64"):
        gradient_norms(build_resnet(8, 3), torch.randn(2, 1, 28, 28), torch.tensor([0.0, 1.0]))


@pytest.mark.parametrize("residual", [True, False])
def test_build_resnet_shapes_head_and_depth(residual):
    torch.manual_seed(0)
    model = build_resnet(20, 3, width=8, residual=residual)
    x = torch.randn(4, 1, 28, 28)
    assert model(x).shape == (4, 3)
    assert isinstance(model.head, torch.nn.Linear) and model.head.in_features == 32
    assert model.features(x).shape == (4, 32)
    main_path = [n for n, m in model.named_modules()
                 if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)) and "shortcut" not in n]
    assert len(main_path) == 20
    shortcuts = [n for n, m in model.named_modules() if isinstance(m, torch.nn.Conv2d) and "shortcut" in n]
    assert len(shortcuts) == (2 if residual else 0)
    block = ResidualBlock if residual else PlainBlock
    assert all(type(b) is block for s in ("stage1", "stage2", "stage3") for b in getattr(model.features, s))


@pytest.mark.parametrize("width", [4, 8])
def test_gradient_norms_equal_a_float64_oracle_shortcuts_included(width):
    """float32 against float64 (no oneDNN): catches a wrong weight gradient of the strided 1x1
    projection, which oneDNN computes in the channels-last layout for narrow inputs (#6035)."""
    torch.manual_seed(0)
    model = build_resnet(8, 4, width=width)
    x, y = torch.randn(16, 1, 28, 28), torch.randint(0, 4, (16,))
    ours = gradient_norms(model, x, y, include_shortcuts=True)
    oracle = gradient_norms(model.double(), x.double(), y, include_shortcuts=True)
    assert list(ours) == list(oracle) and sum("shortcut" in k for k in ours) == 2
    for k in ours:
        assert ours[k] == pytest.approx(oracle[k], rel=1e-3), k


def test_gradient_norms_match_autograd_and_leave_the_model_untouched():
    torch.manual_seed(0)
    model = build_resnet(8, 4, width=4)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    x, y = torch.randn(6, 1, 28, 28), torch.tensor([0, 1, 2, 3, 0, 1])
    norms = gradient_norms(model, x, y)
    assert list(norms) == ["features.stem.0.weight", "features.stage1.0.conv1.weight",
                           "features.stage1.0.conv2.weight", "features.stage2.0.conv1.weight",
                           "features.stage2.0.conv2.weight", "features.stage3.0.conv1.weight",
                           "features.stage3.0.conv2.weight", "head.weight"]
    assert len(gradient_norms(model, x, y, include_shortcuts=True)) == 10
    assert all(p.grad is None for p in model.parameters())
    for k, v in model.state_dict().items():
        torch.testing.assert_close(v, before[k])
    model.train()
    F.cross_entropy(model(x), y).backward()
    assert norms["head.weight"] == pytest.approx(model.head.weight.grad.norm().item(), rel=1e-5)
    assert norms["features.stem.0.weight"] == pytest.approx(
        model.features.stem[0].weight.grad.norm().item(), rel=1e-5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_plain_net_gradients_grow_toward_the_input_residual_ones_stay_even(seed):
    """With batch norm, a plain 20-layer network's gradients do not vanish at initialisation:
    they grow toward the input (about 10x from the last conv to the first at depth 20, and
    about 1000x at depth 56); the residual network keeps them within a few x."""
    g = torch.Generator().manual_seed(seed)
    x, y = torch.randn(32, 1, 28, 28, generator=g), torch.randint(0, 10, (32,), generator=g)
    spread = {}
    for residual in (True, False):
        torch.manual_seed(seed)
        norms = list(gradient_norms(build_resnet(20, 10, residual=residual), x, y).values())[:-1]
        spread[residual] = max(norms) / min(norms)           # the convolutions, head left out
    assert spread[False] > 6
    assert spread[False] > 2 * spread[True]
