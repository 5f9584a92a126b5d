"""One step of the optimisers of chapter 5, in NumPy, with PyTorch's semantics.

The course's reference implementations: chapter 5 derives the update rules
and runs its experiments with these functions (the exercise asks the reader
to write them); the tests check them against ``torch.optim``.

- ``sgd_momentum_step(w, g, buf, lr, momentum)`` -> ``(w, buf)``:
  ``buf = momentum * buf + g``, ``w = w - lr * buf`` (``torch.optim.SGD``)
- ``adam_step(w, g, m, v, t, ...)`` -> ``(w, m, v)``: bias-corrected Adam,
  ``t`` counting from 1 (``torch.optim.Adam`` without weight decay)
- ``adamw_step(w, g, m, v, t, ..., weight_decay=1e-2)`` -> ``(w, m, v)``:
  decoupled weight decay ``w * (1 - lr * weight_decay)``, then the Adam
  update (``torch.optim.AdamW``)

Every function returns new arrays and leaves its inputs unchanged.
"""

from __future__ import annotations

import numpy as np


def _same_shapes(**arrays) -> list[np.ndarray]:
    out = [np.asarray(a, dtype=np.float64) for a in arrays.values()]
    shapes = {name: a.shape for name, a in zip(arrays, out)}
    if len(set(shapes.values())) > 1:
        raise ValueError(f"the arrays must have the same shape, got {shapes}")
    return out


def _check_t(t) -> None:
    if int(t) != t or t < 1:
        raise ValueError(f"t counts the steps from 1, got {t!r}")


def sgd_momentum_step(w, g, buf, lr: float, momentum: float):
    """One step of SGD with momentum (PyTorch's form); returns ``(w_new, buf_new)``."""
    w, g, buf = _same_shapes(w=w, g=g, buf=buf)
    buf_new = momentum * buf + g                 # a decaying sum of gradients
    return w - lr * buf_new, buf_new


def _adam_update(w, g, m, v, t, lr, beta1, beta2, eps):
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)             # bias correction: m, v start at 0
    v_hat = v_new / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


def adam_step(w, g, m, v, t: int, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
              eps: float = 1e-8):
    """One Adam step, ``t`` counting from 1; returns ``(w_new, m_new, v_new)`` (m, v uncorrected)."""
    _check_t(t)
    w, g, m, v = _same_shapes(w=w, g=g, m=m, v=v)
    return _adam_update(w, g, m, v, t, lr, beta1, beta2, eps)


def adamw_step(w, g, m, v, t: int, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
               eps: float = 1e-8, weight_decay: float = 1e-2):
    """One AdamW step: the weights decay by ``1 - lr * weight_decay`` (decoupled from the
    gradient), then the Adam update; returns ``(w_new, m_new, v_new)``."""
    _check_t(t)
    w, g, m, v = _same_shapes(w=w, g=g, m=m, v=v)
    return _adam_update(w * (1 - lr * weight_decay), g, m, v, t, lr, beta1, beta2, eps)
