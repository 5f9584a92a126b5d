"""Small data sets, generated or loaded offline. Never downloads anything.

Every generator takes a ``seed`` (or a ``numpy.random.Generator``) so that a
chapter prints the same numbers on every build.
"""

from __future__ import annotations

import numpy as np


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def two_blobs(n: int = 100, seed=0, distance: float = 3.0, scale: float = 0.8):
    """Two Gaussian blobs in 2-D, linearly separable for large ``distance``.

    Returns ``X (n, 2)`` float64 and ``y (n,)`` int64 in {0, 1}; the classes
    alternate so that the first samples contain both.
    """
    if n < 2:
        raise ValueError(f"two_blobs needs n >= 2, got {n}")
    rng = _rng(seed)
    y = np.arange(n) % 2
    centers = np.array([[-distance / 2, -distance / 4], [distance / 2, distance / 4]])
    X = centers[y] + scale * rng.standard_normal((n, 2))
    return X, y.astype(np.int64)


def linearly_separable(n: int = 40, seed=0, margin: float = 0.3, extent: float = 3.0,
                       return_boundary: bool = False):
    """Points in ``[-extent, extent]^2`` split by a random line, none closer to it than ``margin``.

    Returns ``X (n, 2)`` float64 and ``y (n,)`` int64 in {0, 1}: half of each
    class (class 1 gets the extra point when ``n`` is odd), alternating
    1, 0, 1, 0, ... so that the first samples contain both. The line is
    ``w . x + b = 0`` with a unit-length ``w`` and ``y = 1`` where
    ``w . x + b > 0``; ``return_boundary=True`` also returns ``(w, b)``.
    Separable with margin ``margin`` by construction: a perceptron converges.
    """
    if n < 2:
        raise ValueError(f"linearly_separable needs n >= 2, got {n}")
    if not 0 <= margin < extent / 2:
        raise ValueError(f"margin must be in [0, extent / 2), got {margin}")
    rng = _rng(seed)
    angle = rng.uniform(0, 2 * np.pi)
    w = np.array([np.cos(angle), np.sin(angle)])
    b = float(rng.uniform(-0.2, 0.2) * extent)
    n_pos, n_neg = (n + 1) // 2, n // 2
    pos, neg = np.empty((0, 2)), np.empty((0, 2))
    while len(pos) < n_pos or len(neg) < n_neg:
        cand = rng.uniform(-extent, extent, size=(4 * n, 2))
        score = cand @ w + b
        pos = np.vstack([pos, cand[score >= margin]])
        neg = np.vstack([neg, cand[score <= -margin]])
    X = np.empty((n, 2))
    X[0::2], X[1::2] = pos[:n_pos], neg[:n_neg]
    y = (np.arange(n) % 2 == 0).astype(np.int64)
    return (X, y, (w, b)) if return_boundary else (X, y)


def xor(n: int = 200, seed=0, noise: float = 0.15):
    """The XOR problem: points near the four corners of the unit square.

    Label 1 where exactly one coordinate is "on". With ``n == 4`` and
    ``noise == 0`` it is the truth table itself.
    """
    if n < 1:
        raise ValueError(f"xor needs n >= 1, got {n}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = _rng(seed)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    idx = np.arange(n) % 4
    X = corners[idx] + noise * rng.standard_normal((n, 2))
    y = (corners[idx, 0] != corners[idx, 1]).astype(np.int64)
    return X, y


def moons(n: int = 200, seed=0, noise: float = 0.1):
    """scikit-learn's two interleaving half-moons (generated, offline)."""
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=noise, random_state=int(_rng(seed).integers(2**31)))
    return X.astype(np.float64), y.astype(np.int64)


def digits(test_fraction: float = 0.25, seed=0):
    """scikit-learn's 8x8 digits (1797 images, shipped with the library).

    Returns ``(X_train, y_train, X_test, y_test)``; pixels scaled to [0, 1],
    images flattened to 64 features; a stratified split fixed by ``seed``.
    """
    from sklearn.datasets import load_digits

    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    d = load_digits()
    X = (d.data / 16.0).astype(np.float64)
    y = d.target.astype(np.int64)
    rng = _rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        test[rng.choice(idx, size=int(round(test_fraction * len(idx))), replace=False)] = True
    return X[~test], y[~test], X[test], y[test]
