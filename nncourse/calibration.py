"""Calibration for chapter 10: how far confidences are from accuracies, and temperature scaling.

- ``softmax_T(logits, T=1.0)``                    probabilities ``softmax(logits / T)`` (stable)
- ``nll(logits, labels, T=1.0)``                  mean cross-entropy of ``softmax(logits / T)``
- ``temperature_scale(logits, labels)``           the ``T`` in [0.05, 20] minimising it (fit on
  validation data), by golden-section search on ``log T``
- ``reliability_curve(probs, labels, n_bins=15)`` per confidence bin: count, accuracy, mean
  confidence (the reliability diagram's data)
- ``expected_calibration_error(probs, labels, n_bins=15)``  the count-weighted mean gap
- ``threshold_for_accuracy(probs, labels, target)`` the lowest confidence threshold whose
  accepted predictions reach ``target`` accuracy; the rest go to a human
- ``coverage_and_accuracy(probs, labels, threshold)``  the share accepted and their accuracy

Arrays are NumPy (torch tensors are accepted and converted); ``logits``/``probs``
``(N, K)``, ``labels`` int ``(N,)`` in ``[0, K)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .numpy_mlp import log_softmax

T_MIN, T_MAX = 0.05, 20.0
_INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0          # 0.618...


def _as_numpy(a) -> np.ndarray:
    if hasattr(a, "detach"):                     # a torch tensor
        a = a.detach().cpu().numpy()
    return np.asarray(a)


def _check(scores, labels, name: str) -> tuple[np.ndarray, np.ndarray]:
    scores, labels = _as_numpy(scores), _as_numpy(labels)
    if scores.ndim != 2 or scores.shape[0] == 0 or scores.shape[1] < 2:
        raise ValueError(f"{name} must be (N, K) with N >= 1 and K >= 2, got shape {scores.shape}")
    if not np.issubdtype(scores.dtype, np.floating) and not np.issubdtype(scores.dtype, np.integer):
        raise ValueError(f"{name} must be numbers, got dtype {scores.dtype}")
    scores = scores.astype(np.float64)
    if not np.all(np.isfinite(scores)):
        raise ValueError(f"{name} must be finite, got nan or inf")
    if labels.shape != (len(scores),) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers ({len(scores)},), got {labels.dtype} {labels.shape}")
    if labels.min() < 0 or labels.max() >= scores.shape[1]:
        raise ValueError(f"labels must be in [0, {scores.shape[1]}), got values in "
                         f"[{labels.min()}, {labels.max()}]")
    return scores, labels


def _check_probs(probs, labels) -> tuple[np.ndarray, np.ndarray]:
    probs, labels = _check(probs, labels, "probs")
    if probs.min() < 0 or probs.max() > 1 or not np.allclose(probs.sum(axis=1), 1.0, atol=1e-4):
        raise ValueError("probs must be probabilities: entries in [0, 1], rows summing to 1")
    return probs, labels


def _check_T(T) -> float:
    if not (isinstance(T, (int, float, np.floating)) and math.isfinite(T) and T > 0):
        raise ValueError(f"T must be a positive number, got {T!r}")
    return float(T)


def softmax_T(logits, T: float = 1.0) -> np.ndarray:
    """``softmax(logits / T)`` row by row, ``(N, K)`` -> ``(N, K)``, float64."""
    Z, _ = _check(logits, np.zeros(len(_as_numpy(logits)), dtype=np.int64), "logits")
    return np.exp(log_softmax(Z / _check_T(T)))


def _nll(Z: np.ndarray, labels: np.ndarray, T: float) -> float:
    return float(-log_softmax(Z / T)[np.arange(len(labels)), labels].mean())


def nll(logits, labels, T: float = 1.0) -> float:
    """The mean cross-entropy (nats) of ``softmax(logits / T)`` against ``labels``."""
    Z, labels = _check(logits, labels, "logits")
    return _nll(Z, labels, _check_T(T))


def temperature_scale(logits, labels) -> float:
    """The temperature ``T`` in ``[0.05, 20]`` that minimises ``nll(logits, labels, T)``.

    The loss is convex in ``1/T``, so it has a single minimum along ``u = log T``
    too: a golden-section search on ``u`` in ``[log 0.05, log 20]`` shrinks the
    bracket to 1e-7 (a relative 1e-7 in ``T``). A minimum outside the range
    gives the nearer bound. Fit it on validation data, never on the test set.
    """
    Z, labels = _check(logits, labels, "logits")
    f = lambda u: _nll(Z, labels, math.exp(u))                          # noqa: E731
    a, b = math.log(T_MIN), math.log(T_MAX)
    c, d = b - _INV_PHI * (b - a), a + _INV_PHI * (b - a)
    fc, fd = f(c), f(d)
    while b - a > 1e-7:
        if fc <= fd:                      # the minimum lies in [a, d]
            b, d, fd = d, c, fc
            c = b - _INV_PHI * (b - a)
            fc = f(c)
        else:                             # the minimum lies in [c, b]
            a, c, fc = c, d, fd
            d = a + _INV_PHI * (b - a)
            fd = f(d)
    best = min((f(u), u) for u in (a, (a + b) / 2, b))[1]
    return float(min(max(math.exp(best), T_MIN), T_MAX))


@dataclass
class ReliabilityCurve:
    """Per bin ``(k/n, (k+1)/n]``: how many predictions, their accuracy and mean confidence.

    ``accuracy`` and ``confidence`` are ``nan`` for an empty bin.
    """
    edges: np.ndarray         # (n_bins + 1,)  0, 1/n, ..., 1
    counts: np.ndarray        # (n_bins,) int
    accuracy: np.ndarray      # (n_bins,)
    confidence: np.ndarray    # (n_bins,)


def _check_bins(n_bins) -> int:
    if not isinstance(n_bins, (int, np.integer)) or isinstance(n_bins, bool) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive int, got {n_bins!r}")
    return int(n_bins)


def reliability_curve(probs, labels, n_bins: int = 15) -> ReliabilityCurve:
    """The reliability diagram's data: bins ``(k/n, (k+1)/n]`` of the confidence ``probs.max(1)``.

    A confidence equal to an edge ``k/n`` goes to the lower bin; a confidence of 0
    to the first one. The prediction is ``probs.argmax(1)``.
    """
    probs, labels = _check_probs(probs, labels)
    n = _check_bins(n_bins)
    conf = probs.max(axis=1)                                              # (N,)
    correct = (probs.argmax(axis=1) == labels).astype(np.float64)         # (N,)
    edges = np.arange(n + 1) / n                                          # (n + 1,)  k / n exactly
    # the first edge >= c is the upper edge of c's bin (side="left": an edge belongs below)
    bins = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, n - 1)
    counts = np.bincount(bins, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = np.bincount(bins, weights=correct, minlength=n) / counts
        confidence = np.bincount(bins, weights=conf, minlength=n) / counts
    return ReliabilityCurve(edges, counts, accuracy, confidence)


def expected_calibration_error(probs, labels, n_bins: int = 15) -> float:
    """``sum_b |B_b| / N * |accuracy(B_b) - mean confidence(B_b)|`` over the bins of
    :func:`reliability_curve` (empty bins add nothing); 0 is perfectly calibrated."""
    curve = reliability_curve(probs, labels, n_bins)
    full = curve.counts > 0
    gaps = np.abs(curve.accuracy[full] - curve.confidence[full])
    return float((curve.counts[full] * gaps).sum() / curve.counts.sum())


def coverage_and_accuracy(probs, labels, threshold: float) -> tuple[float, float]:
    """``(share of predictions with confidence >= threshold, their accuracy)``; accuracy nan if none."""
    probs, labels = _check_probs(probs, labels)
    if not isinstance(threshold, (int, float, np.floating)) or math.isnan(threshold):
        raise ValueError(f"threshold must be a number, got {threshold!r}")
    accepted = probs.max(axis=1) >= threshold                             # (N,)
    if not accepted.any():
        return 0.0, math.nan
    correct = probs.argmax(axis=1)[accepted] == labels[accepted]
    return float(accepted.mean()), float(correct.mean())


def threshold_for_accuracy(probs, labels, target: float) -> float:
    """The lowest confidence threshold whose accepted predictions have accuracy >= ``target``.

    Predictions with confidence ``>= threshold`` are answered automatically, the
    others go to a human: the lowest such threshold sends the fewest to the human.
    Candidates are the confidences that occur. Choose it on validation data and
    report :func:`coverage_and_accuracy` on the test set. ``inf`` (everything to the
    human) if no threshold reaches the target.
    """
    probs, labels = _check_probs(probs, labels)
    if not isinstance(target, (int, float, np.floating)) or not 0 < target <= 1:
        raise ValueError(f"target must be an accuracy in (0, 1], got {target!r}")
    conf = probs.max(axis=1)
    order = np.argsort(-conf, kind="stable")                              # most confident first
    conf = conf[order]
    correct = (probs.argmax(axis=1) == labels)[order]
    accuracy = np.cumsum(correct) / np.arange(1, len(conf) + 1)           # of the first k + 1
    # a threshold accepts every tie: only the last position of a run of equal confidences counts
    last = np.append(conf[1:] != conf[:-1], True)
    ok = np.flatnonzero(last & (accuracy >= target))
    return float(conf[ok[-1]]) if len(ok) else math.inf
