"""nncourse.autograd: the reference scalar engine against torch autograd."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nncourse import numpy_mlp
from nncourse.autograd import Value, grads_of, value_mlp_loss, value_params, zero_grad


def expression(a, b, c, tanh, relu, exp, log, sigmoid):
    """Every operation, numbers on both sides, inputs used many times."""
    d = a * b + b ** 3 / c
    e = tanh(1 - d) + exp(a / 2) - sigmoid(b * c)
    f = relu(e * c) - log(-b) + 3 / (a + 1) + sigmoid(-a) * 2
    g = 2 * f * d - relu(-a) + (c - 0.5) ** 0.5 - (-c)
    return g * g / (1 + a * a)


def run_both(inputs):
    vals = {k: Value(v) for k, v in inputs.items()}
    out = expression(**vals, tanh=Value.tanh, relu=Value.relu, exp=Value.exp, log=Value.log,
                     sigmoid=Value.sigmoid)
    out.backward()
    tens = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in inputs.items()}
    out_t = expression(**tens, tanh=torch.tanh, relu=torch.relu, exp=torch.exp, log=torch.log,
                       sigmoid=torch.sigmoid)
    out_t.backward()
    return out, vals, out_t, tens


def test_every_operation_matches_torch():
    out, vals, out_t, tens = run_both({"a": 1.5, "b": -0.8, "c": 2.0})
    assert out.data == pytest.approx(out_t.item(), rel=1e-12)
    for k in vals:
        assert vals[k].grad == pytest.approx(tens[k].grad.item(), rel=1e-10, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(a=st.floats(0.1, 3.0), b=st.floats(-3.0, -0.1), c=st.floats(0.6, 3.0))
def test_random_inputs_match_torch(a, b, c):
    out, vals, out_t, tens = run_both({"a": a, "b": b, "c": c})
    assert math.isclose(out.data, out_t.item(), rel_tol=1e-10, abs_tol=1e-12)
    for k in vals:
        assert math.isclose(vals[k].grad, tens[k].grad.item(), rel_tol=1e-8, abs_tol=1e-10)


@settings(max_examples=40, deadline=None)
@given(x=st.floats(-50.0, 50.0))
def test_sigmoid_matches_torch_and_never_overflows(x):
    v = Value(x)
    s = v.sigmoid()
    s.backward()
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(t).backward()
    assert math.isclose(s.data, torch.sigmoid(t).item(), rel_tol=1e-12, abs_tol=1e-300)
    assert math.isclose(v.grad, t.grad.item(), rel_tol=1e-10, abs_tol=1e-300)
    assert Value(-1000.0).sigmoid().data == 0.0 and Value(1000.0).sigmoid().data == 1.0


def test_gradients_accumulate_over_uses_and_calls():
    x = Value(3.0)
    (x * x + x).backward()
    assert x.grad == 7.0            # 2x + 1: every use adds its share
    (x * 2).backward()
    assert x.grad == 9.0            # and a second backward() adds to it
    zero_grad([x])
    assert x.grad == 0.0


def test_reverse_topological_order_with_paths_of_different_lengths():
    x = Value(0.5)
    m = x * 3
    out = m + m.tanh() * 2
    out.backward()
    assert x.grad == pytest.approx(3 * (1 + 2 * (1 - math.tanh(1.5) ** 2)), rel=1e-14)


def test_relu_gradient_is_zero_at_the_kink_and_ints_are_stored_as_floats():
    z = Value(0)
    assert isinstance(z.data, float)
    z.relu().backward()
    assert z.grad == 0.0


def test_long_chain_has_no_recursion_limit():
    x = Value(0.3)
    h = x
    for _ in range(5000):
        h = h * 0.999 + 0.001
    h.backward()
    assert x.grad == pytest.approx(0.999 ** 5000, rel=1e-9)


def test_bad_input_is_rejected_with_a_message():
    with pytest.raises(ValueError, match="real number"):
        Value("3")
    with pytest.raises(ValueError, match="plain number"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(ValueError, match="positive"):
        Value(-1.0).log()
    with pytest.raises(ValueError, match="W \\(D, M\\)"):
        value_params([(np.zeros(3), np.zeros(3))])


def test_value_mlp_equals_the_numpy_backward_pass():
    rng = np.random.default_rng(0)
    params = numpy_mlp.init_params([4, 5, 3, 3], rng)
    params = [(W, rng.normal(scale=0.1, size=b.shape)) for W, b in params]
    X, y = rng.normal(size=(6, 4)), rng.integers(0, 3, size=6)
    vparams = value_params(params)
    loss = value_mlp_loss(X, y, vparams)
    loss.backward()
    loss_np, grads_np = numpy_mlp.mlp_loss_and_grads(X, y, params)
    assert loss.data == pytest.approx(loss_np, rel=1e-12)
    for (dW, db), (dW_np, db_np) in zip(grads_of(vparams), grads_np):
        np.testing.assert_allclose(dW, dW_np, rtol=1e-9, atol=1e-13)
        np.testing.assert_allclose(db, db_np, rtol=1e-9, atol=1e-13)
