"""nncourse.optimizers: one NumPy step of SGD with momentum, Adam and AdamW against torch.optim."""

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nncourse.optimizers import adam_step, adamw_step, sgd_momentum_step

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


def _torch_chain(opt_class, w0, grads, **hyper):
    """Weights and optimizer state after each step of ``opt_class`` in float64."""
    w = torch.tensor(w0, requires_grad=True)
    opt = opt_class([w], **hyper)
    out = []
    for g in grads:
        w.grad = torch.tensor(g)
        opt.step()
        out.append((w.detach().numpy().copy(),
                    {k: v.numpy().copy() for k, v in opt.state[w].items() if torch.is_tensor(v) and v.ndim}))
    return out


@settings(max_examples=30, deadline=None)
@given(shape=shapes, steps=st.integers(1, 12), lr=st.floats(1e-3, 0.5), mu=st.floats(0.0, 0.99),
       seed=st.integers(0, 2**31))
def test_sgd_momentum_equals_torch(shape, steps, lr, mu, seed):
    rng = np.random.default_rng(seed)
    w0, grads = rng.normal(size=shape), [rng.normal(size=shape) for _ in range(steps)]
    theirs = _torch_chain(torch.optim.SGD, w0, grads, lr=lr, momentum=mu)
    w, buf = w0, np.zeros(shape)
    for g, (w_t, _) in zip(grads, theirs):
        w, buf = sgd_momentum_step(w, g, buf, lr, mu)
        np.testing.assert_allclose(w, w_t, rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(shape=shapes, steps=st.integers(1, 12), lr=st.floats(1e-4, 0.1), b1=st.floats(0.5, 0.95),
       b2=st.floats(0.9, 0.9999), wd=st.floats(0.0, 0.5), seed=st.integers(0, 2**31))
def test_adam_and_adamw_equal_torch(shape, steps, lr, b1, b2, wd, seed):
    rng = np.random.default_rng(seed)
    w0, grads = rng.normal(size=shape), [rng.normal(size=shape) for _ in range(steps)]
    for ours, cls, extra in ((adam_step, torch.optim.Adam, {}),
                             (adamw_step, torch.optim.AdamW, {"weight_decay": wd})):
        theirs = _torch_chain(cls, w0, grads, lr=lr, betas=(b1, b2), eps=1e-8, **extra)
        w, m, v = w0, np.zeros(shape), np.zeros(shape)
        for t, (g, (w_t, st_t)) in enumerate(zip(grads, theirs), 1):
            w, m, v = ours(w, g, m, v, t, lr=lr, beta1=b1, beta2=b2, eps=1e-8, **extra)
            np.testing.assert_allclose(w, w_t, rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(m, st_t["exp_avg"], rtol=1e-10, atol=1e-14)
            np.testing.assert_allclose(v, st_t["exp_avg_sq"], rtol=1e-10, atol=1e-14)


def test_adamw_decay_is_decoupled_from_the_gradient():
    """With a zero gradient Adam does not move (m = v = 0), AdamW shrinks w by 1 - lr * wd."""
    w = np.array([2.0, -4.0])
    zero = np.zeros(2)
    np.testing.assert_array_equal(adam_step(w, zero, zero, zero, 1, lr=0.1)[0], w)
    np.testing.assert_allclose(adamw_step(w, zero, zero, zero, 1, lr=0.1, weight_decay=0.5)[0], w * 0.95)


def test_first_adam_step_moves_every_weight_by_lr():
    g = np.array([1e-3, -3.0, 250.0])
    w, m, v = adam_step(np.zeros(3), g, np.zeros(3), np.zeros(3), 1, lr=0.01)
    np.testing.assert_allclose(w, -0.01 * np.sign(g), rtol=1e-4)
    np.testing.assert_allclose(m, 0.1 * g)      # the state stays uncorrected


def test_inputs_unchanged_and_bad_input():
    w, g, buf = np.ones(3), np.ones(3), np.ones(3)
    sgd_momentum_step(w, g, buf, 0.1, 0.9)
    adamw_step(w, g, buf, buf, 2)
    assert (w == 1).all() and (g == 1).all() and (buf == 1).all()
    with pytest.raises(ValueError, match="same shape"):
        sgd_momentum_step(np.ones(3), np.ones(4), np.ones(3), 0.1, 0.9)
    with pytest.raises(ValueError, match="from 1"):
        adam_step(w, g, buf, buf, 0)
