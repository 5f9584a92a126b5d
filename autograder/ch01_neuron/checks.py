"""Checks of ``ch01_neuron``: what each graded function must do, and how it is tested.

Oracles run in the grader, never in the student's process: torch for the
activations, plain-loop reimplementations for the rest. ``bugs`` map a
likely mistake to the value it would produce, so feedback can name it.
"""

import numpy as np
import torch

from nncourse.grading.checks import Assignment, Case, Fn, close, scalar, sequence

ASSIGNMENT = Assignment("ch01_neuron", prelude="import numpy as np", forbid=("torch",))
task = ASSIGNMENT.task


def _t(x):
    return torch.from_numpy(np.asarray(x, dtype=np.float64))


def _stable_sigmoid(z):
    return torch.sigmoid(_t(z)).numpy()


ACTIVATIONS = {
    "identity": Fn("identity", lambda z: z),
    "sigmoid": Fn("sigmoid", _stable_sigmoid),
    "tanh": Fn("tanh", np.tanh),
    "relu": Fn("relu", lambda z: np.maximum(z, 0.0)),
}


# ---------------------------------------------------------------- sigmoid
@task("sigmoid")
def sigmoid_cases(rng, hidden):
    def case(label, z, **kw):
        z = np.asarray(z, dtype=np.float64)
        with np.errstate(all="ignore"):
            flipped = 1.0 / (1.0 + np.exp(z))
        return Case("sigmoid", label, (z,), _stable_sigmoid(z), close(rtol=1e-7, atol=1e-12),
                    bugs={"the sign of z is flipped (1 / (1 + exp(z)))": flipped,
                          "tanh is used instead of the logistic function": np.tanh(z)},
                    **kw)

    if not hidden:
        return [
            case("small values [-2, -1, 0, 1, 2]", [-2.0, -1.0, 0.0, 1.0, 2.0]),
            case("a (3, 4) array keeps its shape", rng.normal(size=(3, 4))),
            case("stable at |z| up to 1e4: no nan, inf or warning",
                 [-1e4, -800.0, -40.0, 40.0, 800.0, 1e4], no_warnings=True),
        ]
    return [
        case("random (2, 3, 5) array", rng.normal(scale=3, size=(2, 3, 5))),
        case("random large magnitudes (|z| <= 1e4), no warning",
             rng.uniform(-1e4, 1e4, size=50), no_warnings=True, weight=2),
        case("0-d array", np.asarray(rng.normal())),
    ]


# ---------------------------------------------------------------- relu
@task("relu")
def relu_cases(rng, hidden):
    def case(label, z, **kw):
        z = np.asarray(z, dtype=np.float64)
        return Case("relu", label, (z,), torch.relu(_t(z)).numpy(), close(rtol=0, atol=0),
                    bugs={"negative values are kept as they are": z.copy(),
                          "positive values are set to zero": np.minimum(z, 0.0)}, **kw)

    if not hidden:
        return [case("values around zero", [-2.0, -0.5, 0.0, 0.5, 2.0]),
                case("a (2, 3) array keeps its shape", rng.normal(size=(2, 3)))]
    return [case("random (4, 6) array", rng.normal(size=(4, 6))),
            case("random 1-d array with exact zeros", np.where(rng.random(20) < 0.3, 0.0, rng.normal(size=20))),
            case("3-d array", rng.normal(size=(2, 2, 3)))]


# ---------------------------------------------------------------- neuron_forward
@task("neuron_forward")
def neuron_forward_cases(rng, hidden):
    def case(label, N, D, act, **kw):
        X = rng.normal(size=(N, D))
        w = rng.normal(size=D)
        b = float(rng.normal())
        f = ACTIVATIONS[act].python
        z = X @ w + b
        return Case("neuron_forward", label, (X, w, b, ACTIVATIONS[act]), f(z), close(rtol=1e-7, atol=1e-10),
                    bugs={"the bias is added after the activation": f(X @ w) + b,
                          "the bias is missing": f(X @ w),
                          "the activation is not applied": z}, **kw)

    if not hidden:
        return [case("(5, 3) inputs, sigmoid", 5, 3, "sigmoid"),
                case("(4, 2) inputs, identity", 4, 2, "identity")]
    return [case("random inputs, tanh", int(rng.integers(6, 20)), int(rng.integers(2, 8)), "tanh"),
            case("random inputs, relu", int(rng.integers(6, 20)), int(rng.integers(2, 8)), "relu"),
            case("a single sample, sigmoid", 1, int(rng.integers(2, 6)), "sigmoid")]


# ---------------------------------------------------------------- perceptron_train
def perceptron_reference(X, y, lr=1.0, epochs=10, threshold=">", shuffle=False, batch=False):
    """Plain-loop perceptron, written independently of the solution. The
    keyword switches produce the bugs the feedback recognises."""
    N, D = len(X), len(X[0])
    w = [0.0] * D
    b = 0.0
    for _ in range(epochs):
        dw, db = [0.0] * D, 0.0
        for i in range(N):
            s = sum(X[i][j] * w[j] for j in range(D)) + b
            pred = 1 if (s > 0 if threshold == ">" else s >= 0) else 0
            err = float(y[i]) - pred
            if batch:
                dw = [dw[j] + lr * err * X[i][j] for j in range(D)]
                db += lr * err
            else:
                w = [w[j] + lr * err * X[i][j] for j in range(D)]
                b += lr * err
        if batch:
            w = [w[j] + dw[j] for j in range(D)]
            b += db
    return np.array(w, dtype=np.float64), float(b)


@task("perceptron_train")
def perceptron_cases(rng, hidden):
    def case(label, X, y, lr=None, epochs=None, **kw):
        kwargs = {k: v for k, v in (("lr", lr), ("epochs", epochs)) if v is not None}
        ref = lambda **sw: perceptron_reference(X.tolist(), y.tolist(), **kwargs, **sw)  # noqa: E731
        return Case("perceptron_train", label, (X, y), ref(), sequence(close(rtol=1e-9, atol=1e-9), scalar(1e-9, 1e-9),
                                                                         names=("w", "b")),
                    kwargs=kwargs,
                    bugs={"a score of exactly 0 predicts 1 (use > 0, not >= 0)": ref(threshold=">="),
                          "the weights are updated once per epoch instead of after every sample": ref(batch=True)},
                    **kw)

    def blobs(n, d):
        y = (np.arange(n) % 2).astype(np.int64)
        rng.shuffle(y)
        X = rng.normal(size=(n, d)) + 2.0 * (2 * y[:, None] - 1)
        return X, y

    if not hidden:
        X_and = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        return [case("AND gate, default lr and epochs", X_and, np.array([0, 0, 0, 1])),
                case("XOR (not separable), 3 epochs, lr=0.5", X_and, np.array([0, 1, 1, 0]), lr=0.5, epochs=3),
                case("separable blobs (20, 2)", *blobs(20, 2))]
    Xa, ya = blobs(int(rng.integers(15, 40)), int(rng.integers(2, 6)))
    Xb, yb = blobs(int(rng.integers(10, 30)), 3)
    return [case("random separable data, default arguments", Xa, ya),
            case("random data, lr and epochs given", Xb, 1 - yb, lr=float(rng.uniform(0.05, 2)),
                 epochs=int(rng.integers(1, 6))),
            case("non-separable random labels, 7 epochs", rng.normal(size=(12, 2)),
                 rng.integers(0, 2, size=12), epochs=7, weight=2)]
