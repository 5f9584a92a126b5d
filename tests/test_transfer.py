"""nncourse.transfer: replace_head's freezing and its returned parameters, the class split and
relabelling, balanced labelled subsets, the head's inputs, and the two learning rates."""

import numpy as np
import pytest
import torch
from torch import nn

from nncourse.resnet import build_resnet
from nncourse.transfer import (PRETRAIN_CLASSES, TARGET_CLASSES, TARGET_NAMES, finetune_optimizer,
                               head_inputs, labelled_indices, labelled_subset, replace_head,
                               split_classes)

pytestmark = pytest.mark.usefixtures("one_thread")


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(12, 5), nn.ReLU())
        self.head = nn.Linear(5, 7)

    def forward(self, x):
        return self.head(self.body(x))


def test_replace_head_with_freeze_trains_only_the_new_head():
    torch.manual_seed(0)
    model = Small()
    old = model.head
    params = replace_head(model, 3)
    assert model.head is not old and model.head.in_features == 5 and model.head.out_features == 3
    assert [id(p) for p in params] == [id(p) for p in model.head.parameters()]
    assert {id(p) for p in params} == {id(p) for p in model.parameters() if p.requires_grad}
    assert not any(p.requires_grad for p in model.body.parameters())
    assert model(torch.randn(2, 3, 4)).shape == (2, 3)


def test_replace_head_without_freeze_changes_nothing_else():
    torch.manual_seed(0)
    model = Small()
    model.body[1].bias.requires_grad_(False)                # already frozen stays frozen
    body_before = {k: v.clone() for k, v in model.body.state_dict().items()}
    params = replace_head(model, 2, freeze=False)
    assert {id(p) for p in params} == {id(p) for p in model.parameters() if p.requires_grad}
    assert len(params) == 3 and model.body[1].weight.requires_grad and not model.body[1].bias.requires_grad
    for k, v in model.body.state_dict().items():
        torch.testing.assert_close(v, body_before[k])


def test_replace_head_on_the_resnet_keeps_in_features():
    torch.manual_seed(0)
    model = build_resnet(8, 7, width=4)
    params = replace_head(model, 3)
    assert model.head.in_features == 16 and len(params) == 2
    assert model(torch.randn(2, 1, 28, 28)).shape == (2, 3)


def test_a_model_without_a_linear_head_gets_a_clear_error():
    with pytest.raises(ValueError, match="nn.Linear attribute named 'head'.*no head"):
        replace_head(nn.Sequential(nn.Linear(3, 2)), 2)
    bad = Small()
    bad.head = nn.Sequential(nn.Linear(5, 2))
    with pytest.raises(ValueError, match="got Sequential"):
        replace_head(bad, 2)
    with pytest.raises(ValueError, match="num_classes must be a positive int"):
        replace_head(Small(), 0)


def test_split_classes_relabels_in_the_given_order():
    assert TARGET_CLASSES == (0, 4, 6) and TARGET_NAMES == ("T-shirt/top", "Coat", "Shirt")
    assert PRETRAIN_CLASSES == (1, 2, 3, 5, 7, 8, 9)
    y = np.array([6, 1, 0, 4, 9, 6, 2])
    X = np.arange(7 * 2).reshape(7, 2)
    Xt, yt = split_classes(X, y, TARGET_CLASSES)
    np.testing.assert_array_equal(Xt, X[[0, 2, 3, 5]])
    assert yt.tolist() == [2, 0, 1, 2] and yt.dtype == np.int64
    Xp, yp = split_classes(X, y, PRETRAIN_CLASSES)
    assert yp.tolist() == [0, 6, 1] and len(Xp) == 3
    with pytest.raises(ValueError, match="distinct"):
        split_classes(X, y, [1, 1])


def test_labelled_subset_is_balanced_seeded_and_sorted():
    y = np.repeat(np.arange(3), [10, 20, 30])
    X = np.arange(60) * 10
    Xs, ys = labelled_subset(X, y, 5, np.random.default_rng(0))
    assert np.bincount(ys).tolist() == [5, 5, 5]
    np.testing.assert_array_equal(Xs, 10 * labelled_indices(y, 5, np.random.default_rng(0)))
    idx = labelled_indices(y, 5, np.random.default_rng(0))
    assert (np.diff(idx) > 0).all() and (y[idx] == ys).all()
    rng = np.random.default_rng(0)                          # oracle: class by class, rng.choice
    expected = np.sort(np.concatenate([rng.choice(np.flatnonzero(y == c), 5, replace=False) for c in range(3)]))
    np.testing.assert_array_equal(idx, expected)
    assert not np.array_equal(idx, labelled_indices(y, 5, np.random.default_rng(1)))
    with pytest.raises(ValueError, match="class 0 has 10 examples, fewer than per_class = 11"):
        labelled_indices(y, 11, np.random.default_rng(0))
    with pytest.raises(ValueError, match="one example per label"):
        labelled_subset(X[:5], y, 2, np.random.default_rng(0))


def test_head_inputs_are_what_the_head_reads():
    torch.manual_seed(0)
    model = build_resnet(8, 5, width=4).train()
    x = torch.randn(7, 1, 28, 28)
    feats = head_inputs(model, x, batch_size=3)
    assert feats.shape == (7, 16) and model.training
    model.eval()
    with torch.no_grad():
        torch.testing.assert_close(model.head(feats), model(x))
        torch.testing.assert_close(feats, model.features(x))


def test_finetune_optimizer_gives_the_body_the_smaller_lr():
    torch.manual_seed(0)
    model = Small()
    replace_head(model, 3, freeze=False)
    opt = finetune_optimizer(model, lr=1e-2, body_lr=1e-4)
    head, body = opt.param_groups
    assert head["lr"] == 1e-2 and body["lr"] == 1e-4
    assert {id(p) for p in head["params"]} == {id(p) for p in model.head.parameters()}
    assert {id(p) for p in body["params"]} == {id(p) for p in model.body.parameters()}
    replace_head(model, 3, freeze=True)
    assert len(finetune_optimizer(model).param_groups) == 1
    with pytest.raises(ValueError, match="body_lr must be a positive number"):
        finetune_optimizer(model, body_lr=0)
