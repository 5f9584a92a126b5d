# task: rotary_embedding
# expect: full
# A different correct answer: a loop over positions and pairs, with math, for any leading axes.
import math


def rotary_embedding(X, base=10000.0):
    out = X.copy()
    T, d = X.shape[-2], X.shape[-1]
    for t in range(T):
        for i in range(d // 2):
            a = t * base ** (-2 * i / d)
            x0, x1 = X[..., t, 2 * i], X[..., t, 2 * i + 1]
            out[..., t, 2 * i] = x0 * math.cos(a) - x1 * math.sin(a)
            out[..., t, 2 * i + 1] = x0 * math.sin(a) + x1 * math.cos(a)
    return out
