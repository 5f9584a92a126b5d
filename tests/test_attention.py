"""nncourse.attention: the NumPy references of chapter 8, against PyTorch (float64)."""

import math

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from nncourse.attention import (causal_mask, layer_norm, multi_head_attention, positional_encoding,
                                rms_norm, rotary_embedding, scaled_dot_product_attention, softmax)
from nncourse.gpt import sinusoidal_positions

pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py

finite = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


def _t(x):
    return torch.from_numpy(np.asarray(x, dtype=np.float64))


# ---------------------------------------------------------------- softmax and attention
@settings(max_examples=40, deadline=None)
@given(Z=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                    elements=st.floats(-1e4, 1e4)))
def test_softmax_matches_torch_and_is_stable(Z):
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        got = softmax(Z)
    np.testing.assert_allclose(got, torch.softmax(_t(Z), dim=-1).numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(got.sum(-1), 1.0, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(lead=hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), Tq=st.integers(1, 5),
       Tk=st.integers(1, 5), d=st.integers(1, 6), dv=st.integers(1, 4), seed=st.integers(0, 2**31),
       masked=st.booleans())
def test_attention_matches_torch(lead, Tq, Tk, d, dv, seed, masked):
    rng = np.random.default_rng(seed)
    Q, K = rng.normal(size=(*lead, Tq, d)), rng.normal(size=(*lead, Tk, d))
    V = rng.normal(size=(*lead, Tk, dv))
    mask = None
    if masked:
        mask = rng.random((Tq, Tk)) < 0.5
        mask[np.arange(Tq), rng.integers(0, Tk, Tq)] = True       # every query sees a key
    out, w = scaled_dot_product_attention(Q, K, V, mask)
    m = None if mask is None else torch.broadcast_to(torch.from_numpy(mask), (*lead, Tq, Tk))
    ref = F.scaled_dot_product_attention(_t(Q), _t(K), _t(V), attn_mask=m)
    assert out.shape == (*lead, Tq, dv) and w.shape == (*lead, Tq, Tk)
    np.testing.assert_allclose(out, ref.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(w.sum(-1), 1.0, rtol=1e-12)
    if mask is not None:
        assert (w[..., ~mask] == 0).all()


def test_attention_large_scores_and_errors():
    rng = np.random.default_rng(0)
    Q, K, V = rng.normal(scale=1e4, size=(2, 3, 4)), rng.normal(scale=1e4, size=(2, 5, 4)), rng.normal(size=(2, 5, 2))
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out, w = scaled_dot_product_attention(Q, K, V, np.ones(5, dtype=bool))
    assert np.isfinite(out).all() and np.isfinite(w).all()
    with pytest.raises(ValueError, match="allows no key"):
        scaled_dot_product_attention(Q, K, V, np.zeros((3, 5), dtype=bool))
    with pytest.raises(ValueError, match="do not fit"):
        scaled_dot_product_attention(Q, K[..., :3], V)


@pytest.mark.parametrize("T", [1, 2, 7])
def test_causal_mask(T):
    m = causal_mask(T)
    assert m.dtype == np.bool_ and m.shape == (T, T)
    assert np.array_equal(m, torch.ones(T, T, dtype=torch.bool).tril().numpy())
    with pytest.raises(ValueError):
        causal_mask(0)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("N,T,d,h", [(2, 5, 8, 2), (1, 1, 6, 3), (3, 4, 4, 4), (1, 6, 6, 1)])
def test_multi_head_attention_matches_torch(N, T, d, h, causal):
    rng = np.random.default_rng(N * 100 + T * 10 + d)
    X = rng.normal(size=(N, T, d))
    Wq, Wk, Wv, Wo = (rng.normal(size=(d, d)) / math.sqrt(d) for _ in range(4))
    mha = nn.MultiheadAttention(d, h, bias=False, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(_t(np.concatenate([Wq.T, Wk.T, Wv.T])))
        mha.out_proj.weight.copy_(_t(Wo.T))
        forbidden = torch.from_numpy(~causal_mask(T)) if causal else None
        ref, _ = mha(_t(X), _t(X), _t(X), attn_mask=forbidden, need_weights=False)
    np.testing.assert_allclose(multi_head_attention(X, Wq, Wk, Wv, Wo, h, causal=causal), ref.numpy(),
                               rtol=1e-9, atol=1e-12)


def test_multi_head_attention_errors():
    X = np.zeros((1, 2, 6))
    W = np.eye(6)
    with pytest.raises(ValueError, match="multiple"):
        multi_head_attention(X, W, W, W, W, 4)
    with pytest.raises(ValueError, match="Wo"):
        multi_head_attention(X, W, W, W, np.eye(5), 2)
    with pytest.raises(ValueError, match="N, T, d"):
        multi_head_attention(X[0], W, W, W, W, 2)


# ---------------------------------------------------------------- positions
@pytest.mark.parametrize("T,d", [(1, 2), (7, 6), (50, 16)])
def test_positional_encoding_formula(T, d):
    pe = positional_encoding(T, d)
    assert pe.shape == (T, d) and pe.dtype == np.float64
    for t in range(T):
        for i in range(d // 2):
            a = t / 10000 ** (2 * i / d)
            assert pe[t, 2 * i] == pytest.approx(math.sin(a), abs=1e-12)
            assert pe[t, 2 * i + 1] == pytest.approx(math.cos(a), abs=1e-12)
    np.testing.assert_allclose(pe, sinusoidal_positions(T, d).numpy(), atol=1e-6)
    with pytest.raises(ValueError, match="even"):
        positional_encoding(T, d + 1)


def _rope_complex(X, base):
    """An independent oracle: pairs as complex numbers, rotated by multiplying with e^(i angle)."""
    x = _t(X)
    T, d = x.shape[-2:]
    z = torch.view_as_complex(x.reshape(*x.shape[:-1], d // 2, 2).contiguous())     # (..., T, d/2)
    angle = torch.arange(T, dtype=torch.float64)[:, None] * base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    out = torch.view_as_real(z * torch.polar(torch.ones_like(angle), angle))       # (..., T, d/2, 2)
    return out.reshape(x.shape).numpy()


@settings(max_examples=40, deadline=None)
@given(lead=hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), T=st.integers(1, 9),
       half=st.integers(1, 5), base=st.sampled_from([10000.0, 100.0, 2.0]), data=st.data())
def test_rotary_embedding_matches_complex_rotation(lead, T, half, base, data):
    X = data.draw(hnp.arrays(np.float64, (*lead, T, 2 * half), elements=finite))
    before = X.copy()
    got = rotary_embedding(X, base=base)
    np.testing.assert_allclose(got, _rope_complex(X, base), rtol=1e-10, atol=1e-12)
    assert np.array_equal(X, before)
    # a rotation keeps the length of every pair
    pairs = lambda A: np.hypot(A[..., 0::2], A[..., 1::2])  # noqa: E731
    np.testing.assert_allclose(pairs(got), pairs(X), rtol=1e-10, atol=1e-12)


def test_rotary_scores_depend_on_offset_only():
    """RoPE's point: q_t . k_s after rotation depends on t - s, not on t and s."""
    rng = np.random.default_rng(0)
    q, k = rng.normal(size=8), rng.normal(size=8)
    Q, K = rotary_embedding(np.tile(q, (12, 1))), rotary_embedding(np.tile(k, (12, 1)))
    scores = Q @ K.T                                                                   # (12, 12)
    for offset in range(-3, 4):
        diag = np.diagonal(scores, offset)
        np.testing.assert_allclose(diag, diag[0], rtol=1e-9, atol=1e-12)
    with pytest.raises(ValueError, match="even"):
        rotary_embedding(np.zeros((3, 5)))


# ---------------------------------------------------------------- normalisation
@settings(max_examples=40, deadline=None)
@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6), data=st.data(),
       eps=st.sampled_from([1e-5, 1e-6, 0.5]))
def test_layer_and_rms_norm_match_torch(shape, data, eps):
    X = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    D = shape[-1]
    gamma = data.draw(hnp.arrays(np.float64, (D,), elements=finite))
    beta = data.draw(hnp.arrays(np.float64, (D,), elements=finite))
    ref_ln = F.layer_norm(_t(X), (D,), _t(gamma), _t(beta), eps=eps).numpy()
    np.testing.assert_allclose(layer_norm(X, gamma, beta, eps), ref_ln, rtol=1e-7, atol=1e-9)
    ref_rms = F.rms_norm(_t(X), (D,), _t(gamma), eps=eps).numpy()
    np.testing.assert_allclose(rms_norm(X, gamma, eps), ref_rms, rtol=1e-9, atol=1e-12)


def test_norms_large_values_and_errors():
    rng = np.random.default_rng(1)
    X = rng.normal(1e6, 1.0, size=(3, 6))
    g, b = np.ones(6), np.zeros(6)
    np.testing.assert_allclose(layer_norm(X, g, b).std(-1), 1.0, rtol=1e-4)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        Y = rms_norm(rng.normal(scale=1e4, size=(4, 5)), np.ones(5))
    np.testing.assert_allclose(np.sqrt((Y ** 2).mean(-1)), 1.0, rtol=1e-9)
    with pytest.raises(ValueError, match="gamma"):
        rms_norm(X, np.ones(5))
    with pytest.raises(ValueError, match="beta"):
        layer_norm(X, g, np.zeros(4))
