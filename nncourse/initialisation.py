"""How the scale of the initial weights decides the fate of a deep network's signals.

``signal_through_depth`` is chapter 5's experiment (section "Initialisation"),
kept here so that the chapter and its exercise (the same experiment with
LeakyReLU) run the same code.
"""

from __future__ import annotations

import numpy as np


def signal_through_depth(act, act_slope, weight_std, depth=50, width=256,
                         seed=0):
    """Std of the activations (forward) and of the gradients (backward)
    at every layer of a deep stack A <- act(A @ W), W ~ N(0, weight_std^2)."""
    if depth < 1 or width < 1:
        raise ValueError(f"depth and width must be >= 1, "
                         f"got depth={depth}, width={width}")
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(256, width))          # a batch of inputs (N, D)
    Ws, Zs, forward = [], [], []
    with np.errstate(all="ignore"):            # large inits overflow
        for _ in range(depth):
            W = rng.normal(0.0, weight_std, size=(width, width))
            Z = A @ W
            A = act(Z)
            Ws.append(W)
            Zs.append(Z)
            forward.append(A.std())
        dA = rng.normal(size=A.shape)          # gradient arriving from above
        backward = []
        for W, Z in zip(reversed(Ws), reversed(Zs)):
            dA = (dA * act_slope(Z)) @ W.T     # through act, then the layer
            backward.append(dA.std())
    return np.array(forward), np.array(backward[::-1])
