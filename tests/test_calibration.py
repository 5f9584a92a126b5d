"""nncourse.calibration: ECE against a loop oracle (edges, empty bins), the temperature against a
dense grid and torch's LBFGS, its bounds, and the human-in-the-loop threshold."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from nncourse.calibration import (coverage_and_accuracy, expected_calibration_error, nll,
                                  reliability_curve, softmax_T, temperature_scale,
                                  threshold_for_accuracy)


def ece_oracle(probs, labels, n_bins):
    """Bin by bin with plain Python: bin k holds k/n < c <= (k+1)/n (c = 0 in bin 0)."""
    N = len(labels)
    total = 0.0
    for k in range(n_bins):
        members = [i for i in range(N)
                   if (k / n_bins < max(probs[i]) <= (k + 1) / n_bins) or (k == 0 and max(probs[i]) == 0)]
        if not members:
            continue
        acc = sum(int(np.argmax(probs[i]) == labels[i]) for i in members) / len(members)
        conf = sum(max(probs[i]) for i in members) / len(members)
        total += len(members) / N * abs(acc - conf)
    return total


@settings(max_examples=80, deadline=None)
@given(N=st.integers(1, 40), K=st.integers(2, 5), n_bins=st.integers(1, 20),
       seed=st.integers(0, 2**32 - 1), sharp=st.floats(0.1, 10.0))
def test_ece_equals_loop_oracle(N, K, n_bins, seed, sharp):
    rng = np.random.default_rng(seed)
    probs = softmax_T(rng.normal(size=(N, K)) * sharp)
    labels = rng.integers(0, K, size=N)
    assert expected_calibration_error(probs, labels, n_bins) == pytest.approx(
        ece_oracle(probs, labels, n_bins), abs=1e-12)


def test_confidence_on_an_edge_goes_to_the_lower_bin():
    # confidences exactly k/n: 0.5 = 5/10, 0.6 = 6/10 (as floats, as k / n computes them), 1.0
    probs = np.array([[0.5, 0.5], [6 / 10, 1 - 6 / 10], [1.0, 0.0], [0.3, 0.7]])
    labels = np.array([0, 1, 0, 1])
    curve = reliability_curve(probs, labels, n_bins=10)
    assert curve.counts.tolist() == [0, 0, 0, 0, 1, 1, 1, 0, 0, 1]
    assert curve.counts.sum() == 4 and np.isnan(curve.accuracy[0])
    assert expected_calibration_error(probs, labels, 10) == pytest.approx(ece_oracle(probs, labels, 10))
    # 0.3 * 10 is 3.0000000000000004 in floats, yet 0.3 == 3 / 10 is an edge: bin (0.2, 0.3]
    p = np.array([[0.3, 0.3, 0.2, 0.2]])
    assert reliability_curve(p, np.array([0]), 10).counts.tolist() == [0, 0, 1] + [0] * 7


def test_ece_simple_cases_and_empty_bins():
    labels = np.array([0, 0, 1, 1])
    confident_right = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    assert expected_calibration_error(confident_right, labels) == 0.0
    assert expected_calibration_error(confident_right, 1 - labels) == 1.0
    # 4 at confidence 0.75, 3 right: perfectly calibrated, one bin used of 15
    probs = np.tile([0.75, 0.25], (4, 1))
    assert expected_calibration_error(probs, np.array([0, 0, 0, 1])) == pytest.approx(0.0, abs=1e-15)
    assert expected_calibration_error(probs, np.array([0, 1, 1, 1])) == pytest.approx(0.5)
    curve = reliability_curve(probs, np.array([0, 0, 0, 1]), 15)
    assert curve.counts.sum() == 4 and (curve.counts > 0).sum() == 1
    assert np.isnan(curve.confidence).sum() == 14


def test_bad_inputs_get_clear_errors():
    with pytest.raises(ValueError, match=r"probs must be \(N, K\)"):
        expected_calibration_error(np.ones(3) / 3, np.array([0]))
    with pytest.raises(ValueError, match="rows summing to 1"):
        expected_calibration_error(np.array([[0.9, 0.9]]), np.array([0]))
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\)"):
        expected_calibration_error(np.array([[0.5, 0.5]]), np.array([2]))
    with pytest.raises(ValueError, match="labels must be integers"):
        temperature_scale(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="finite"):
        temperature_scale(np.array([[np.nan, 0.0]]), np.array([0]))
    with pytest.raises(ValueError, match="n_bins must be a positive int"):
        expected_calibration_error(np.array([[0.5, 0.5]]), np.array([0]), n_bins=0)
    with pytest.raises(ValueError, match="target must be an accuracy"):
        threshold_for_accuracy(np.array([[0.5, 0.5]]), np.array([0]), 1.5)


def _overconfident(seed, N=300, K=4, scale=4.0):
    """Logits of a model that is right with probability ~0.7 but says so too loudly."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, K, N)
    logits = rng.normal(size=(N, K)) * scale
    logits[np.arange(N), labels] += scale * 1.2
    return logits, labels


@pytest.mark.parametrize("seed, scale", [(0, 4.0), (1, 0.3), (2, 1.0), (3, 8.0)])
def test_temperature_equals_dense_grid_search(seed, scale):
    logits, labels = _overconfident(seed, scale=scale)
    T = temperature_scale(logits, labels)
    grid = np.exp(np.linspace(math.log(0.05), math.log(20), 4001))
    losses = np.array([nll(logits, labels, t) for t in grid])
    i = losses.argmin()
    assert 0 < i < len(grid) - 1                            # one minimiser inside the range
    lo, hi = grid[i - 1], grid[i + 1]                       # the grid brackets it
    assert lo <= T <= hi
    assert nll(logits, labels, T) <= losses[i] + 1e-12


@pytest.mark.parametrize("seed", [0, 1])
def test_temperature_equals_torch_lbfgs_on_log_t(seed):
    logits, labels = _overconfident(seed)
    z, y = torch.tensor(logits), torch.tensor(labels)
    u = torch.zeros((), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([u], lr=0.5, max_iter=500, tolerance_grad=1e-14, tolerance_change=1e-16,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(z / u.exp(), y)
        loss.backward()
        return loss
    opt.step(closure)
    assert temperature_scale(logits, labels) == pytest.approx(u.exp().item(), rel=1e-4)
    assert temperature_scale(torch.tensor(logits, dtype=torch.float32), y) == pytest.approx(
        u.exp().item(), rel=1e-4)


def test_temperature_bounds():
    labels = np.array([0, 1, 0, 1])
    # always right: the sharper the better, the lower bound
    right = np.array([[1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [-1.0, 1.0]])
    assert temperature_scale(right, labels) == pytest.approx(0.05, rel=1e-6)
    # always wrong: the flatter the better, the upper bound
    assert temperature_scale(-right, labels) == pytest.approx(20.0, rel=1e-6)
    assert 0.05 <= temperature_scale(*_overconfident(5)) <= 20


@pytest.mark.parametrize("seed", range(4))
def test_calibrated_nll_and_ece_do_not_get_worse(seed):
    logits, labels = _overconfident(seed)
    T = temperature_scale(logits, labels)
    assert T > 1                                           # overconfident: softened
    assert nll(logits, labels, T) <= nll(logits, labels)
    assert expected_calibration_error(softmax_T(logits, T), labels) < expected_calibration_error(
        softmax_T(logits), labels)
    # scaling never changes the prediction
    assert (softmax_T(logits, T).argmax(1) == logits.argmax(1)).all()


def test_softmax_t_is_stable_and_matches_torch():
    logits = np.array([[1e4, -1e4, 0.0], [1.0, 2.0, 3.0]])
    for T in (0.05, 1.0, 7.0):
        expected = torch.softmax(torch.tensor(logits) / T, dim=1).numpy()
        np.testing.assert_allclose(softmax_T(logits, T), expected, rtol=1e-12, atol=1e-300)
    with pytest.raises(ValueError, match="T must be a positive number"):
        softmax_T(logits, 0.0)


def threshold_oracle(probs, labels, target):
    conf, right = probs.max(1), probs.argmax(1) == labels
    for t in sorted(set(conf.tolist())):
        if right[conf >= t].mean() >= target:
            return t
    return math.inf


@settings(max_examples=60, deadline=None)
@given(N=st.integers(1, 30), seed=st.integers(0, 2**32 - 1), target=st.floats(0.3, 1.0),
       ties=st.booleans())
def test_threshold_for_accuracy_equals_oracle(N, seed, target, ties):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(N, 3)) * 2
    if ties:
        logits = np.round(logits)
    probs = softmax_T(logits)
    labels = rng.integers(0, 3, N)
    t = threshold_for_accuracy(probs, labels, target)
    assert t == threshold_oracle(probs, labels, target)
    if t < math.inf:
        coverage, accuracy = coverage_and_accuracy(probs, labels, t)
        assert accuracy >= target and coverage > 0


def test_coverage_and_accuracy():
    probs = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.45, 0.55]])
    labels = np.array([0, 1, 1, 1])
    assert coverage_and_accuracy(probs, labels, 0.7) == (0.5, 1.0)
    assert coverage_and_accuracy(probs, labels, 0.0) == (1.0, 0.75)
    coverage, accuracy = coverage_and_accuracy(probs, labels, 0.95)
    assert coverage == 0.0 and math.isnan(accuracy)
    assert threshold_for_accuracy(probs, labels, 1.0) == 0.8
    assert threshold_for_accuracy(probs, labels, 0.75) == 0.55
