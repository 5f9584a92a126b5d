"""The single neuron of chapter 1: activations, the neuron, its boundary, the perceptron.

Chapter 1 derives these functions and runs its experiments with them; its
exercise asks the reader to write the graded ones (``sigmoid``, ``relu``,
``softplus``, ``neuron_forward``, ``signed_distance``, ``perceptron_train``,
``pocket_perceptron``), so the book imports them from here without printing
their source. Conventions follow the syllabus: ``float64``, batch first,
``X (N, D)``, ``w (D,)``, ``b`` a float, labels ``y (N,)`` in ``{0, 1}``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np


# ---------------------------------------------------------------- activations

def step(z) -> np.ndarray:
    """Heaviside step, elementwise: 1.0 where ``z > 0``, else 0.0."""
    return (np.asarray(z, dtype=np.float64) > 0).astype(np.float64)


def sigmoid(z) -> np.ndarray:
    """Logistic function ``1 / (1 + exp(-z))``, elementwise, any shape; never overflows.

    Both forms are computed from ``u = exp(-|z|)``, which lies in ``(0, 1]``.
    """
    z = np.asarray(z, dtype=np.float64)
    u = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + u), u / (1.0 + u))


def relu(z) -> np.ndarray:
    """``max(0, z)``, elementwise, any shape."""
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)


def softplus(z) -> np.ndarray:
    """``log(1 + exp(z))``, elementwise, any shape; stable, and accurate where it is
    about ``exp(z)`` (large negative ``z``): ``max(z, 0) + log1p(exp(-|z|))``."""
    z = np.asarray(z, dtype=np.float64)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


# ---------------------------------------------------------------- the neuron

def _check_batch(X, w) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be (N, D), got shape {X.shape}")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must be ({X.shape[1]},) for X of shape {X.shape}, got shape {w.shape}")
    return X, w


def neuron_forward(X, w, b, activation: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``activation(X @ w + b)``: ``X (N, D)``, ``w (D,)``, ``b`` float -> ``(N,)``."""
    X, w = _check_batch(X, w)
    return activation(X @ w + b)  # (N, D) @ (D,) -> (N,)


def signed_distance(X, w, b) -> np.ndarray:
    """Signed distance of every row of ``X (N, D)`` from the hyperplane ``w . x + b = 0``:
    ``(X @ w + b) / ||w||`` ``(N,)``, positive on the side ``w`` points to."""
    X, w = _check_batch(X, w)
    norm = np.linalg.norm(w)
    if norm == 0:
        raise ValueError("w is all zeros: it defines no hyperplane")
    return (X @ w + b) / norm  # (N,)


def errors(X, y, w, b) -> int:
    """How many samples the step neuron ``(w, b)`` classifies wrongly."""
    return int(np.sum((X @ w + b > 0).astype(np.int64) != y))


# ---------------------------------------------------------------- the perceptron

def _check_labels(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be (N, D), got shape {X.shape}")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must be ({X.shape[0]},) for X of shape {X.shape}, got shape {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold labels in {0, 1}")
    return X, y.astype(np.int64)


def perceptron_history(X, y, lr: float = 1.0, epochs: int = 10) -> dict:
    """Rosenblatt's rule (start at zero; samples in order; predict ``1`` if the score
    is ``> 0``; update after every sample), with a log of the run:

    ``w``, ``b``: the final weights; ``updates``: ``(epoch, i, w, b)`` after every
    update; ``epoch_ends``: ``(w, b)`` after every epoch; ``mistakes``: mistakes in
    every epoch; ``pocket``: the best ``(w, b)`` seen (fewest errors on the whole set,
    the first one on ties, starting from the zero weights)."""
    X, y = _check_labels(X, y)
    w, b = np.zeros(X.shape[1]), 0.0
    best = (w.copy(), b, errors(X, y, w, b))
    updates, epoch_ends, mistakes = [], [], []
    for epoch in range(epochs):
        n_wrong = 0
        for i in range(len(X)):
            pred = 1 if X[i] @ w + b > 0 else 0
            if pred != y[i]:
                n_wrong += 1
                w = w + lr * (y[i] - pred) * X[i]  # a new array: the log keeps every version
                b = b + lr * float(y[i] - pred)
                updates.append((epoch, i, w, b))
                e = errors(X, y, w, b)
                if e < best[2]:
                    best = (w.copy(), b, e)
        epoch_ends.append((w, b))
        mistakes.append(n_wrong)
    return {"w": w, "b": b, "updates": updates, "epoch_ends": epoch_ends, "mistakes": mistakes,
            "pocket": (best[0], best[1])}


def perceptron_train(X, y, lr: float = 1.0, epochs: int = 10) -> tuple[np.ndarray, float]:
    """The perceptron's final ``(w, b)`` (see :func:`perceptron_history`)."""
    run = perceptron_history(X, y, lr, epochs)
    return run["w"], run["b"]


def pocket_perceptron(X, y, lr: float = 1.0, epochs: int = 10) -> tuple[np.ndarray, float]:
    """The perceptron that keeps the best ``(w, b)`` seen: after every update, the new
    weights replace the pocket when they make strictly fewer errors on the whole set."""
    return perceptron_history(X, y, lr, epochs)["pocket"]
