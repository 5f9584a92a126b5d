"""nncourse.normalisation: dropout and batch norm (forward and backward) against torch."""

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from nncourse.normalisation import batchnorm_backward, batchnorm_forward, dropout_forward


def test_dropout_is_inverted_and_draws_from_rng():
    X = np.random.default_rng(0).normal(size=(400, 300)) + 2.0
    out, mask = dropout_forward(X, 0.3, np.random.default_rng(1))
    out2, mask2 = dropout_forward(X, 0.3, np.random.default_rng(1))
    np.testing.assert_array_equal(out, out2)
    assert set(np.unique(mask)) == {0.0, 1.0}
    np.testing.assert_allclose(out, X * mask / 0.7)
    assert abs(mask.mean() - 0.7) < 0.01


@pytest.mark.parametrize("p, train", [(0.5, False), (0.0, True)])
def test_dropout_identity(p, train):
    X = np.random.default_rng(0).normal(size=(5, 4))
    out, mask = dropout_forward(X, p, np.random.default_rng(0), train=train)
    np.testing.assert_array_equal(out, X)
    assert (mask == 1).all()
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        dropout_forward(X, 1.0, np.random.default_rng(0))


def _torch_bn(X, gamma, beta, eps, dout=None):
    t = [torch.tensor(a, requires_grad=True) for a in (X, gamma, beta)]
    Y = F.batch_norm(t[0], None, None, weight=t[1], bias=t[2], training=True, eps=eps)
    if dout is None:
        return Y.detach().numpy()
    Y.backward(torch.tensor(dout))
    return tuple(a.grad.numpy() for a in t)


@settings(max_examples=40, deadline=None)
@given(N=st.integers(2, 9), D=st.integers(1, 6), eps=st.sampled_from([1e-5, 1e-3, 0.1]),
       scale=st.floats(0.01, 100), seed=st.integers(0, 2**31), constant=st.booleans())
def test_batchnorm_forward_and_backward_equal_autograd(N, D, eps, scale, seed, constant):
    rng = np.random.default_rng(seed)
    X = rng.normal(3.0, scale, size=(N, D))
    if constant:
        X[:, 0] = 1.5                      # variance 0: eps keeps it finite
    gamma, beta, dout = rng.normal(size=D), rng.normal(size=D), rng.normal(size=(N, D))
    np.testing.assert_allclose(batchnorm_forward(X, gamma, beta, eps), _torch_bn(X, gamma, beta, eps),
                               rtol=1e-9, atol=1e-10)
    ours = batchnorm_backward(dout, X, gamma, eps)
    for a, b in zip(ours, _torch_bn(X, gamma, beta, eps, dout)):
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9)


def test_batchnorm_backward_properties():
    """dX sums to 0 over the batch, for every feature (shifting X changes nothing)."""
    rng = np.random.default_rng(0)
    X, dout = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    dX, dgamma, dbeta = batchnorm_backward(dout, X, np.ones(3))
    np.testing.assert_allclose(dX.sum(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(dbeta, dout.sum(axis=0))


def test_batchnorm_bad_input():
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        batchnorm_forward(np.ones(3), np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="gamma"):
        batchnorm_backward(np.ones((4, 3)), np.ones((4, 3)), np.ones(2))
    with pytest.raises(ValueError, match="dout"):
        batchnorm_backward(np.ones((4, 2)), np.ones((4, 3)), np.ones(3))
