"""nncourse.augment: random_crop_flip draws in the syllabus's order (a loop oracle), keeps shape and
dtype, leaves its input alone, and only moves pixels; the loader's batches and their epochs."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from nncourse.augment import AugmentedLoader, random_crop_flip, to_tensor


def crop_flip_oracle(X, rng, pad):
    """Pixel by pixel: output (y, x) reads input (y + dy - pad, x' + dx - pad), zero outside."""
    N, C, H, W = X.shape
    out = np.zeros_like(X)
    for n in range(N):
        dy = int(rng.integers(0, 2 * pad + 1))
        dx = int(rng.integers(0, 2 * pad + 1))
        flip = rng.random() < 0.5
        for yy in range(H):
            for xx in range(W):
                sx = (W - 1 - xx) if flip else xx
                iy, ix = yy + dy - pad, sx + dx - pad
                if 0 <= iy < H and 0 <= ix < W:
                    out[n, :, yy, xx] = X[n, :, iy, ix]
    return out


@pytest.mark.parametrize("shape, pad", [((5, 1, 6, 6), 2), ((4, 3, 5, 7), 1), ((3, 2, 4, 4), 3), ((2, 1, 3, 3), 0)])
def test_random_crop_flip_equals_loop_oracle(shape, pad):
    X = np.random.default_rng(0).integers(1, 256, size=shape).astype(np.uint8)
    ours = random_crop_flip(X, np.random.default_rng(7), pad)
    np.testing.assert_array_equal(ours, crop_flip_oracle(X, np.random.default_rng(7), pad))


def test_draw_order_per_image_is_dy_dx_flip():
    X = np.arange(2 * 1 * 4 * 4, dtype=float).reshape(2, 1, 4, 4)
    rng = np.random.default_rng(3)
    out = random_crop_flip(X, rng, pad=1)
    check = np.random.default_rng(3)
    for n in range(2):
        dy, dx, flip = check.integers(0, 3), check.integers(0, 3), check.random() < 0.5
        expected = np.pad(X[n], ((0, 0), (1, 1), (1, 1)))[:, dy:dy + 4, dx:dx + 4]
        np.testing.assert_array_equal(out[n], expected[:, :, ::-1] if flip else expected)
    assert rng.random() == check.random()          # the same number of draws


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_shape_dtype_kept_and_input_not_modified(dtype):
    X = np.random.default_rng(1).uniform(0, 200, size=(6, 2, 9, 5)).astype(dtype)
    before = X.copy()
    out = random_crop_flip(X, np.random.default_rng(0), 2)
    assert out.shape == X.shape and out.dtype == X.dtype and out is not X
    np.testing.assert_array_equal(X, before)


def test_pad_zero_without_flip_is_the_identity():
    X = np.random.default_rng(2).normal(size=(50, 1, 4, 4))
    out = random_crop_flip(X, np.random.default_rng(5), pad=0)
    flips = np.random.default_rng(5)
    for n in range(50):
        flips.integers(0, 1), flips.integers(0, 1)
        flipped = flips.random() < 0.5
        np.testing.assert_array_equal(out[n], X[n, :, :, ::-1] if flipped else X[n])


def test_bad_inputs_get_clear_errors():
    X = np.zeros((2, 1, 4, 4))
    with pytest.raises(ValueError, match=r"X must be \(N, C, H, W\)"):
        random_crop_flip(np.zeros((2, 4, 4)), np.random.default_rng(0))
    with pytest.raises(ValueError, match="pad must be an int >= 0"):
        random_crop_flip(X, np.random.default_rng(0), pad=-1)
    with pytest.raises(ValueError, match="rng must be a numpy Generator"):
        random_crop_flip(X, 0)
    with pytest.raises(ValueError, match="uint8 or floating"):
        to_tensor(np.zeros((2, 1, 4, 4), dtype=bool))
    with pytest.raises(ValueError, match=r"y must be integer labels \(2,\)"):
        AugmentedLoader(X, np.zeros(3, dtype=int), 2, np.random.default_rng(0))


@settings(max_examples=60, deadline=None)
@given(X=arrays(np.int16, st.tuples(st.integers(1, 3), st.integers(1, 2), st.integers(1, 6), st.integers(1, 6)),
                elements=st.integers(1, 1000)),
       pad=st.integers(0, 4), seed=st.integers(0, 2**32 - 1))
def test_every_output_pixel_is_zero_or_a_pixel_of_the_same_image(X, pad, seed):
    out = random_crop_flip(X, np.random.default_rng(seed), pad)
    for n in range(len(X)):
        for c in range(X.shape[1]):
            allowed = set(X[n, c].ravel().tolist()) | {0}
            assert set(out[n, c].ravel().tolist()) <= allowed
        # the shift is at most pad: with pad < min(H, W) some pixel of the image survives
        if pad < min(X.shape[2:]):
            assert (out[n] != 0).any()


def test_to_tensor_scales_uint8_and_adds_the_channel_axis():
    X = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)               # (1, 2, 2)
    t = to_tensor(X)
    assert t.shape == (1, 1, 2, 2) and t.dtype == torch.float32
    torch.testing.assert_close(t[0, 0], torch.tensor([[0.0, 1.0], [0.2, 0.4]]))
    assert to_tensor(np.ones((2, 3, 4, 4))).dtype == torch.float32


def test_augmented_loader_batches_epochs_and_ablation():
    X = np.random.default_rng(0).integers(0, 256, size=(10, 6, 6)).astype(np.uint8)
    y = np.arange(10) % 3
    loader = AugmentedLoader(X, y, 4, np.random.default_rng(1))
    assert len(loader) == 3
    epoch1, epoch2 = list(loader), list(loader)
    assert [len(b[1]) for b in epoch1] == [4, 4, 2]
    xb, yb = epoch1[0]
    assert xb.shape == (4, 1, 6, 6) and xb.dtype == torch.float32 and yb.dtype == torch.int64
    assert not torch.equal(torch.cat([b[0] for b in epoch1]), torch.cat([b[0] for b in epoch2]))
    # same seed, same batches: the draws are the permutation, then the batch's crops and flips
    rng = np.random.default_rng(1)
    order = rng.permutation(10)
    first = random_crop_flip(X[order[:4], None], rng, 2)
    torch.testing.assert_close(xb, to_tensor(first))
    assert yb.tolist() == y[order[:4]].tolist()
    plain = list(AugmentedLoader(X, y, 4, np.random.default_rng(1), augment=False, shuffle=False))
    torch.testing.assert_close(torch.cat([b[0] for b in plain]), to_tensor(X))
