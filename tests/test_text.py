"""nncourse.text: character vocabulary, (B, T) windows, sampling with temperature."""

import numpy as np
import pytest
import torch

from nncourse.text import (CharVocab, random_windows, sample_with_temperature, sequential_windows,
                           softmax_with_temperature)


def test_vocab_roundtrip_and_order():
    v = CharVocab("hello, world\n")
    assert v.chars == sorted(set("hello, world\n"))
    assert len(v) == 10
    ids = v.encode("world")
    assert ids.dtype == torch.long and ids.shape == (5,)
    assert v.decode(ids) == "world"
    assert v.decode(ids.tolist()) == "world"
    with pytest.raises(KeyError):
        v.encode("z")
    with pytest.raises(ValueError):
        CharVocab("")


def test_random_windows_are_shifted_and_reproducible():
    data = torch.arange(1000)
    x, y = random_windows(data, 8, 20, torch.Generator().manual_seed(0))
    assert x.shape == y.shape == (8, 20)
    assert torch.equal(y[:, :-1], x[:, 1:])
    assert torch.equal(y, x + 1)                       # data[i] = i: the next element
    assert torch.equal(x[:, 1:] - x[:, :-1], torch.ones(8, 19, dtype=torch.long))
    x2, _ = random_windows(data, 8, 20, torch.Generator().manual_seed(0))
    assert torch.equal(x, x2)
    x3, _ = random_windows(data, 8, 20, torch.Generator().manual_seed(1))
    assert not torch.equal(x, x3)


def test_random_windows_reach_both_ends_and_stay_inside():
    data = torch.arange(12)
    g = torch.Generator().manual_seed(0)
    starts, ends = set(), set()
    for _ in range(200):
        x, y = random_windows(data, 4, 10, g)
        starts.update(x[:, 0].tolist())
        ends.update(y[:, -1].tolist())
    assert starts == {0, 1} and ends == {10, 11}


def test_random_windows_rejects_short_or_bad_data():
    with pytest.raises(ValueError):
        random_windows(torch.arange(10), 2, 10, torch.Generator())
    with pytest.raises(ValueError):
        random_windows(torch.zeros(2, 50, dtype=torch.long), 2, 10, torch.Generator())


def test_sequential_windows_cover_the_text_once():
    data = torch.arange(23)
    batches = list(sequential_windows(data, 2, 5))     # (23 - 1) // 5 = 4 windows
    assert [tuple(x.shape) for x, _ in batches] == [(2, 5), (2, 5)]
    x = torch.cat([b[0] for b in batches])
    y = torch.cat([b[1] for b in batches])
    assert torch.equal(x.flatten(), torch.arange(20))
    assert torch.equal(y.flatten(), torch.arange(1, 21))
    last = list(sequential_windows(torch.arange(31), 4, 5))   # 6 windows: 4 + 2
    assert [len(b[0]) for b in last] == [4, 2]


def test_softmax_with_temperature_is_stable_and_matches_torch():
    logits = np.array([[1e4, -1e4, 0.0], [0.5, 1.5, -2.0]])
    for t in (0.5, 1.0, 2.0):
        p = softmax_with_temperature(logits, t)
        assert np.all(np.isfinite(p))
        np.testing.assert_allclose(p, torch.softmax(torch.tensor(logits) / t, dim=-1).numpy(),
                                   rtol=1e-12, atol=0)
    with pytest.raises(ValueError):
        softmax_with_temperature(logits, 0.0)


def test_sample_with_temperature_is_deterministic_and_follows_the_distribution():
    logits = np.log(np.array([0.1, 0.2, 0.7]))
    a = [sample_with_temperature(logits, 1.0, np.random.default_rng(3)) for _ in range(5)]
    assert len(set(a)) == 1 and isinstance(a[0], int)
    rng = np.random.default_rng(0)
    counts = np.bincount([sample_with_temperature(logits, 1.0, rng) for _ in range(20000)],
                         minlength=3) / 20000
    np.testing.assert_allclose(counts, [0.1, 0.2, 0.7], atol=0.015)
    # low temperature: nearly always the arg-max; high: nearly uniform
    rng = np.random.default_rng(0)
    cold = [sample_with_temperature(logits, 0.05, rng) for _ in range(500)]
    assert cold.count(2) == 500
    hot = np.bincount([sample_with_temperature(logits, 100.0, rng) for _ in range(6000)],
                      minlength=3) / 6000
    np.testing.assert_allclose(hot, [1 / 3] * 3, atol=0.03)
    with pytest.raises(ValueError):
        sample_with_temperature(logits[None], 1.0, rng)
