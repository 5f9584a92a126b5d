"""A multilayer perceptron in plain NumPy: forward, backward, and a training loop.

Chapter 4 (backpropagation) derives these functions one by one and runs its
experiments with this module (the page never prints the backward functions:
its exercise asks for them); the benchmark (``benchmarks/mlp_digits.py``) and
later chapters import it too. Conventions follow the syllabus: ``float64``, batch first, a dense
layer computes ``X @ W + b`` with ``X (N, D)``, ``W (D, M)``, ``b (M,)``;
``params`` is a list of ``(W, b)``; labels are integers ``(N,)`` in ``[0, C)``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from threadpoolctl import threadpool_limits

Params = list[tuple[np.ndarray, np.ndarray]]


# ---------------------------------------------------------------- forward (ch. 2-3)

def dense_forward(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``X (N, D) @ W (D, M) + b (M,)`` -> ``(N, M)``."""
    return X @ W + b


def relu(Z: np.ndarray) -> np.ndarray:
    return np.maximum(Z, 0.0)


def softmax(Z: np.ndarray) -> np.ndarray:
    """Softmax along the last axis; subtracting the row maximum keeps ``exp`` finite."""
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def log_softmax(Z: np.ndarray) -> np.ndarray:
    Zs = Z - Z.max(axis=-1, keepdims=True)
    return Zs - np.log(np.exp(Zs).sum(axis=-1, keepdims=True))


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """Mean over the batch of ``-log softmax(logits)[i, labels[i]]``."""
    N = logits.shape[0]
    return float(-log_softmax(logits)[np.arange(N), labels].mean())


def init_params(layer_sizes: list[int], rng: np.random.Generator) -> Params:
    """He initialisation: ``W ~ N(0, 2 / fan_in)``, ``b = 0``, for consecutive sizes."""
    return [(rng.normal(0.0, np.sqrt(2.0 / d), size=(d, m)), np.zeros(m))
            for d, m in zip(layer_sizes[:-1], layer_sizes[1:])]


def mlp_forward(X: np.ndarray, params: Params) -> np.ndarray:
    """Logits of the MLP: ReLU after every layer but the last."""
    A = X
    for i, (W, b) in enumerate(params):
        A = dense_forward(A, W, b)
        if i < len(params) - 1:
            A = relu(A)
    return A


def predict(X: np.ndarray, params: Params) -> np.ndarray:
    return mlp_forward(X, params).argmax(axis=1)


def accuracy(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    return float(np.mean(np.asarray(y_pred) == np.asarray(y_true)))


# ---------------------------------------------------------------- backward (ch. 4)

def dense_backward(dout: np.ndarray, X: np.ndarray, W: np.ndarray):
    """Gradients of ``X @ W + b`` given ``dout = dL/d(out)`` of shape ``(N, M)``."""
    dX = dout @ W.T          # (N, M) @ (M, D) -> (N, D)
    dW = X.T @ dout          # (D, N) @ (N, M) -> (D, M)
    db = dout.sum(axis=0)    # (M,)
    return dX, dW, db


def relu_backward(dout: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """Pass ``dout`` where ``Z > 0``; zero where ``Z <= 0`` (the kink counts as flat)."""
    return dout * (Z > 0)


def softmax_cross_entropy_backward(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``d mean_i CE_i / d logits = (softmax(logits) - onehot(labels)) / N``."""
    N = logits.shape[0]
    dZ = softmax(logits)               # (N, C)
    dZ[np.arange(N), labels] -= 1.0
    return dZ / N


def log_softmax_backward(dout: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """Gradient through ``log_softmax`` along the last axis of ``Z (..., C)``:
    ``dout - softmax(Z) * dout.sum(axis=-1, keepdims=True)``."""
    dout, Z = np.asarray(dout, dtype=np.float64), np.asarray(Z, dtype=np.float64)
    if dout.shape != Z.shape or Z.ndim == 0:
        raise ValueError(f"dout and Z must have the same shape (..., C), got {dout.shape} and {Z.shape}")
    return dout - softmax(Z) * dout.sum(axis=-1, keepdims=True)   # (..., C) - (..., C) * (..., 1)


def mlp_loss_and_grads(X: np.ndarray, y: np.ndarray, params: Params):
    """Mean softmax cross-entropy of the MLP and its gradients ``[(dW, db), ...]``."""
    # forward, keeping what the backward pass needs: each layer's input and pre-activation
    inputs, pre = [], []
    A = X
    for i, (W, b) in enumerate(params):
        inputs.append(A)
        Z = dense_forward(A, W, b)
        pre.append(Z)
        A = relu(Z) if i < len(params) - 1 else Z
    loss = cross_entropy(A, y)

    # backward, last layer first
    grads = [None] * len(params)
    dA = softmax_cross_entropy_backward(A, y)          # (N, C)
    for i in reversed(range(len(params))):
        if i < len(params) - 1:
            dA = relu_backward(dA, pre[i])             # through the ReLU of layer i
        dA, dW, db = dense_backward(dA, inputs[i], params[i][0])
        grads[i] = (dW, db)
    return loss, grads


# ---------------------------------------------------------------- training

@dataclass
class History:
    """What ``train_mlp`` measured, one entry per epoch (``time``/``cpu`` in seconds)."""
    loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)     # on (X_val, y_val), when given
    time: float = 0.0
    cpu: float = 0.0


LossAndGrads = Callable[[np.ndarray, np.ndarray, Params], tuple[float, Params]]


def train_mlp(X: np.ndarray, y: np.ndarray, X_val: np.ndarray | None = None,
              y_val: np.ndarray | None = None, hidden: tuple[int, ...] = (256, 128),
              epochs: int = 30, batch_size: int = 64, lr: float = 2e-3, seed: int = 0,
              loss_and_grads: LossAndGrads = mlp_loss_and_grads, progress: bool = False,
              blas_threads: int | None = 1):
    """Mini-batch Adam on the mean cross-entropy of an MLP with He init.

    ``loss_and_grads(X, y, params) -> (loss, grads)`` computes the gradients
    (the chapter passes its own). Everything random (init, shuffling) comes
    from ``seed``. Returns ``(params, history)``: ``history.loss`` is the mean
    mini-batch loss of each epoch; the accuracies on the training set and, when
    given, on the held-out ``X_val, y_val`` (``history.val_acc``) are measured
    after each epoch.
    ``blas_threads`` caps NumPy's BLAS threads while training (``None``: no
    cap): for matrices this small, extra threads cost more than they save.
    """
    rng = np.random.default_rng(seed)
    N, D = X.shape
    C = int(y.max()) + 1
    params = init_params([D, *hidden, C], rng)
    flat = [p for Wb in params for p in Wb]       # W1, b1, W2, b2, ... (updated in place)
    m = [np.zeros_like(p) for p in flat]          # Adam: running mean of the gradient
    v = [np.zeros_like(p) for p in flat]          # and of its square
    beta1, beta2, eps, t = 0.9, 0.999, 1e-8, 0
    hist = History()
    epoch_iter = range(epochs)
    if progress:
        from tqdm.auto import tqdm
        epoch_iter = tqdm(epoch_iter, desc="epochs")

    wall0, cpu0 = time.perf_counter(), time.process_time()
    with threadpool_limits(limits=blas_threads, user_api="blas"):
        for _ in epoch_iter:
            perm = rng.permutation(N)                 # a new order every epoch
            losses = []
            for start in range(0, N, batch_size):
                idx = perm[start:start + batch_size]
                loss, grads = loss_and_grads(X[idx], y[idx], params)
                losses.append(loss)
                t += 1
                for j, g in enumerate(g for dW_db in grads for g in dW_db):
                    m[j] = beta1 * m[j] + (1 - beta1) * g
                    v[j] = beta2 * v[j] + (1 - beta2) * g * g
                    m_hat = m[j] / (1 - beta1 ** t)   # bias correction: m, v start at 0
                    v_hat = v[j] / (1 - beta2 ** t)
                    flat[j] -= lr * m_hat / (np.sqrt(v_hat) + eps)
            hist.loss.append(float(np.mean(losses)))
            hist.train_acc.append(accuracy(predict(X, params), y))
            if X_val is not None:
                hist.val_acc.append(accuracy(predict(X_val, params), y_val))
    hist.time = time.perf_counter() - wall0
    hist.cpu = time.process_time() - cpu0
    return params, hist
