"""nncourse.initialisation: the signal-through-depth experiment of chapter 5."""

import math

import numpy as np
import pytest

from nncourse.initialisation import signal_through_depth

relu = (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float))


def test_he_keeps_relu_signals_alive_and_small_init_kills_them():
    n = 64
    fwd, bwd = signal_through_depth(*relu, math.sqrt(2 / n), depth=20, width=n)
    assert fwd.shape == bwd.shape == (20,)
    assert 0.2 < fwd[-1] < 5 and 0.2 < bwd[0] < 5
    fwd, bwd = signal_through_depth(*relu, 0.01, depth=20, width=n)
    assert fwd[-1] < 1e-15 and bwd[0] < 1e-15


def test_linear_stack_grows_by_sqrt_n_var_per_layer():
    """Identity activation: the std is multiplied by about sqrt(n) * weight_std per layer."""
    n, std = 256, 1.5 / math.sqrt(256)
    fwd, _ = signal_through_depth(lambda z: z, lambda z: np.ones_like(z), std, depth=10, width=n)
    rate = (fwd[-1] / fwd[0]) ** (1 / 9)
    assert rate == pytest.approx(1.5, rel=0.05)


def test_seeded_and_checked():
    a = signal_through_depth(*relu, 0.1, depth=3, width=8, seed=1)
    b = signal_through_depth(*relu, 0.1, depth=3, width=8, seed=1)
    np.testing.assert_array_equal(a[0], b[0])
    with pytest.raises(ValueError, match="depth"):
        signal_through_depth(*relu, 0.1, depth=0)
