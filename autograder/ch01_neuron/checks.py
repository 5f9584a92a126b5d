"""Checks of ``ch01_neuron``: what each graded function must do, and how it is tested.

Oracles run in the grader, never in the student's process: torch for the
activations and the distances, plain-loop reimplementations for the
perceptron and its pocket. ``bugs`` map a likely mistake to the value it
would produce, so feedback can name it.

Stability is the point of ``sigmoid`` and ``softplus``, so *every* case of
theirs mixes in inputs where the textbook formula overflows (and, for
``softplus``, where ``log(1 + exp(z))`` loses all its digits) and must not
warn: a formula that is right only for moderate inputs earns nothing.
Values are judged as values: a 0-d answer may come back as a NumPy scalar.
"""

import math

import numpy as np
import torch

from nncourse.grading.checks import (Assignment, Case, Fn, all_close, close, describe, known_bugs, scalar,
                                     sequence)

ASSIGNMENT = Assignment("ch01_neuron", prelude="import numpy as np", forbid=("torch",), probes="probes.py")
task = ASSIGNMENT.task


def _t(x):
    return torch.from_numpy(np.asarray(x, dtype=np.float64))


def _stable_sigmoid(z):
    return torch.sigmoid(_t(z)).numpy()


def values(rtol, atol):
    """``close`` for arrays of any shape, where a 0-d result may also be a number
    (NumPy ufuncs return a NumPy scalar for a 0-d input): values, not form."""
    arrays = close(rtol=rtol, atol=atol)

    def compare(got, expected):
        if np.ndim(expected) == 0 and isinstance(got, (float, int, np.floating, np.integer)) \
                and not isinstance(got, (bool, np.bool_)):
            got = np.asarray(got, dtype=np.float64)
        return arrays(got, expected)

    return compare


def _with_extremes(z, rng, low=-1e4, high=1e4):
    """``z`` with a few entries replaced by large negative and positive values."""
    z = np.array(z, dtype=np.float64)
    flat = z.reshape(-1)
    k = rng.choice(flat.size, size=min(flat.size, 2), replace=False)
    flat[k[0]] = rng.uniform(low, -750.0)
    if len(k) > 1:
        flat[k[1]] = rng.uniform(750.0, high)
    return z


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
            naive = 1.0 / (1.0 + np.exp(-z))
        expected = _stable_sigmoid(z)
        return Case("sigmoid", label, (z,), expected, values(rtol=1e-7, atol=1e-12),
                    bugs=known_bugs(expected, all_close(1e-7, 1e-12), **{
                        "the sign of z is flipped (1 / (1 + exp(z)))": flipped,
                        "tanh is used instead of the logistic function": np.tanh(z),
                        "1 / (1 + exp(-z)) is computed as written: exp overflows for z below about -709 "
                        "(NumPy warns)": naive}),
                    no_warnings=True, **kw)

    # every case holds inputs beyond |z| = 709, where exp overflows: stability is the point
    if not hidden:
        return [
            case("small values [-2, -1, 0, 1, 2], and -1000 and 1000", [-1000.0, -2.0, -1.0, 0.0, 1.0, 2.0, 1000.0]),
            case("a (3, 4) array keeps its shape (two entries beyond |z| = 750)",
                 _with_extremes(rng.normal(size=(3, 4)), rng)),
            case("stable at |z| up to 1e4: no nan, inf or warning", [-1e4, -800.0, -40.0, -1.0, 0.0, 1.0, 40.0, 800.0, 1e4]),
        ]
    return [
        case("random (2, 3, 5) array with a few large entries", _with_extremes(rng.normal(scale=3, size=(2, 3, 5)), rng)),
        case("random magnitudes up to 1e4", np.concatenate([rng.uniform(-1e4, 1e4, size=45), rng.normal(size=5)]),
             weight=2),
        case("random (4, 1, 3) array, large entries at both ends", _with_extremes(rng.normal(size=(4, 1, 3)), rng)),
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


# ---------------------------------------------------------------- softplus
def _softplus_torch(z):
    t = _t(z)
    return torch.logaddexp(torch.zeros_like(t), t).numpy()


@task("softplus")
def softplus_cases(rng, hidden):
    def case(label, z, **kw):
        z = np.asarray(z, dtype=np.float64)
        expected = _softplus_torch(z)
        with np.errstate(all="ignore"):
            bugs = known_bugs(expected, all_close(1e-12, 1e-300), **{
                "log(1 + exp(z)) is computed as written: exp overflows for z above about 709, and "
                "1 + exp(z) rounds to 1 for z below about -37 (the result should be about exp(z))":
                    np.log(1.0 + np.exp(z)),
                "the large-z side is fixed (max(z, 0) + log(1 + exp(-|z|))) but log(1 + u) rounds "
                "1 + u to 1 for tiny u: use np.log1p(u)":
                    np.maximum(z, 0.0) + np.log(1.0 + np.exp(-np.abs(z))),
                "np.log1p(np.exp(z)) still overflows for z above about 709": np.log1p(np.exp(z)),
                "relu (max(0, z)) is returned, not its smooth version": np.maximum(z, 0.0),
                "exp(z) is returned where softplus is about exp(z), but also for moderate z":
                    np.where(z < 0, np.exp(z), z + np.log1p(np.exp(-np.abs(z)))),
            })
        return Case("softplus", label, (z,), expected, values(rtol=1e-12, atol=1e-300), bugs=bugs,
                    no_warnings=True, **kw)

    # every case holds entries where exp(z) overflows and entries where softplus is about exp(z)
    if not hidden:
        return [
            case("values around zero, with -50 and 1000", [-50.0, -2.0, -0.5, 0.0, 0.5, 2.0, 1000.0]),
            case("a (3, 4) array keeps its shape (with -60, -300 and 800 in it)",
                 np.concatenate([rng.normal(size=9), [-60.0, -300.0, 800.0]]).reshape(3, 4)),
            case("stable and accurate at |z| up to 1e4: large positive z gives z, large negative z "
                 "gives about exp(z)", [-1e4, -700.0, -100.0, -40.0, 0.0, 40.0, 100.0, 800.0, 1e4]),
        ]
    return [
        case("random (2, 3, 5) array with large entries",
             np.concatenate([rng.normal(scale=4, size=27), rng.uniform(-700, -40, size=2),
                             rng.uniform(750, 1e4, size=1)])[rng.permutation(30)].reshape(2, 3, 5)),
        case("random magnitudes up to 1e4", np.concatenate([rng.uniform(-1e4, 1e4, size=40),
                                                            rng.uniform(-700, -37, size=10)]), weight=2),
        case("where softplus is about exp(z): z in [-700, -37], with one large z",
             np.append(rng.uniform(-700, -37, size=12), rng.uniform(750, 1e4))),
        case("0-d array, large z", np.asarray(rng.uniform(750.0, 1e4))),
    ]


# ---------------------------------------------------------------- signed_distance
def raised(name="ValueError"):
    """What the probe ``raises`` reports: the exception ``name`` was raised."""

    def compare(got, expected):
        if got == expected:
            return None
        if got == "returned a value":
            return f"expected a {expected} (w is all zeros: there is no hyperplane), but it returned a value"
        if isinstance(got, str):
            return f"expected a {expected}, but it {got}"
        return f"expected a {expected}, got {describe(got)}"

    return compare


@task("signed_distance")
def signed_distance_cases(rng, hidden):
    def case(label, X, w, b, **kw):
        X, w = np.asarray(X, dtype=np.float64), np.asarray(w, dtype=np.float64)
        score = X @ w + b
        norm = float(np.linalg.norm(w))
        expected = ((_t(X) @ _t(w) + b) / torch.linalg.vector_norm(_t(w))).numpy()
        bugs = known_bugs(expected, all_close(1e-9, 1e-12), **{
            "the score X @ w + b is not divided by ||w||": score,
            "the score is divided by ||w||**2 instead of ||w||": score / norm ** 2,
            "the distance is not signed (abs): points on the side w points away from must be negative":
                np.abs(score) / norm,
            "only X @ w is divided by ||w||, the bias b is not": X @ w / norm + b,
            "the norm includes the bias (||(w, b)||)": score / np.sqrt(norm ** 2 + b ** 2),
            "the sign is flipped": -score / norm,
        })
        return Case("signed_distance", label, (X, w, float(b)), expected, close(rtol=1e-9, atol=1e-12),
                    bugs=bugs, **kw)

    def zero_case(label, D, **kw):
        X = rng.normal(size=(int(rng.integers(2, 6)), D))
        return Case("signed_distance", label, (X, np.zeros(D), float(rng.normal())), "ValueError",
                    raised(), probe="raises", **kw)

    if not hidden:
        return [case("4 points, w = (3, 4), b = -5: ||w|| = 5",
                     [[0.0, 0.0], [3.0, 4.0], [1.0, 0.5], [-1.0, 2.0]], [3.0, 4.0], -5.0),
                case("random (6, 3) points", rng.normal(size=(6, 3)), rng.normal(size=3), float(rng.normal())),
                zero_case("w all zeros: ValueError", 2)]
    D = int(rng.integers(2, 7))
    w = rng.normal(size=D)
    return [case("random points and hyperplane", rng.normal(size=(int(rng.integers(5, 30)), D)), w,
                 float(rng.normal())),
            case("a long w (||w|| about 1000): distances do not depend on the scale",
                 rng.normal(size=(8, D)), 1000.0 * w, 1000.0 * float(rng.normal())),
            case("a single point", rng.normal(size=(1, 3)), rng.normal(size=3), float(rng.normal(scale=3))),
            case("one feature (D = 1)", rng.normal(size=(6, 1)), rng.normal(size=1), float(rng.normal())),
            zero_case("w all zeros: ValueError", D)]


# ---------------------------------------------------------------- pocket_perceptron
def pocket_reference(X, y, lr=1.0, epochs=10, ties=False, last=False, per_epoch=False, start_inf=False,
                     alias=False):
    """The pocket perceptron with plain Python numbers, written independently of the
    solution. The keyword switches produce the bugs the feedback recognises."""
    N, D = len(X), len(X[0])
    w, b = [0.0] * D, 0.0

    def errs(w, b):
        return sum((1 if sum(X[i][j] * w[j] for j in range(D)) + b > 0 else 0) != y[i] for i in range(N))

    best = [list(w), b, math.inf if start_inf else errs(w, b)]

    def consider():
        e = errs(w, b)
        if e < best[2] or (ties and e == best[2]):
            best[:] = [list(w), b, e]

    for _ in range(epochs):
        for i in range(N):
            pred = 1 if sum(X[i][j] * w[j] for j in range(D)) + b > 0 else 0
            err = y[i] - pred
            if err:
                w = [w[j] + lr * err * X[i][j] for j in range(D)]
                b += lr * err
                if not per_epoch:
                    consider()
        if per_epoch:
            consider()
    if last:
        return np.array(w, dtype=np.float64), float(b)
    if alias:  # the pocket holds the very array that is then updated in place
        return np.array(w, dtype=np.float64), float(best[1])
    return np.array(best[0], dtype=np.float64), float(best[1])


POCKET_BUGS = {
    "the final weights are returned, not the pocket": dict(last=True),
    "weights with as many errors as the pocket replace it (use <, not <=)": dict(ties=True),
    "the pocket is only compared at the end of every epoch, not after every update": dict(per_epoch=True),
    "the pocket does not start as the zero weights with their own error count": dict(start_inf=True),
    "the pocket keeps a reference to w, which is then updated in place (np.copy it)": dict(alias=True),
}


@task("pocket_perceptron")
def pocket_cases(rng, hidden):
    def case(label, X, y, lr=None, epochs=None, **kw):
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64)
        kwargs = {k: v for k, v in (("lr", lr), ("epochs", epochs)) if v is not None}
        ref = lambda **sw: pocket_reference(X.tolist(), y.tolist(), **kwargs, **sw)  # noqa: E731
        expected = ref()
        same = all_close(1e-9, 1e-9)
        bugs = known_bugs(expected, lambda a, e: same((a[0], np.float64(a[1])), (e[0], np.float64(e[1]))),
                          **{bug: ref(**sw) for bug, sw in POCKET_BUGS.items()},
                          **{"nothing is learned: the starting pocket (zeros, 0.0) is returned":
                             (np.zeros(X.shape[1]), 0.0)})
        if not expected[0].any() and expected[1] == 0.0:
            # the zero weights stay the best (they test where the pocket starts), but an answer
            # that never trains also gets these right: they weigh a quarter of the others
            kw["weight"] = kw.get("weight", 1.0) / 4
        return Case("pocket_perceptron", label, (X, y), expected,
                    sequence(close(rtol=1e-9, atol=1e-9), scalar(1e-9, 1e-9), names=("w", "b")),
                    kwargs=kwargs, bugs=bugs, **kw)

    def overlapping(n, d, distance, frac_pos=0.5):
        y = (rng.random(n) < frac_pos).astype(np.int64)
        X = rng.normal(size=(n, d)) + distance / 2 * (2 * y[:, None] - 1)
        return X, y

    if not hidden:
        X_tt = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        return [case("XOR truth table (not separable), 4 epochs", X_tt, [0, 1, 1, 0], epochs=4),
                case("overlapping blobs (30, 2), default lr and epochs", *overlapping(30, 2, 1.5)),
                case("mostly negatives (20, 2), lr=0.5, 3 epochs", *overlapping(20, 2, 0.5, frac_pos=0.2),
                     lr=0.5, epochs=3)]
    return [case("random overlapping blobs, default arguments",
                 *overlapping(int(rng.integers(25, 50)), int(rng.integers(2, 4)), 1.5), weight=2),
            case("random labels, lr and epochs given", rng.normal(size=(15, 3)), rng.integers(0, 2, size=15),
                 lr=float(rng.uniform(0.1, 2)), epochs=int(rng.integers(2, 7)), weight=2),
            case("mostly negatives", *overlapping(int(rng.integers(20, 40)), 2, 0.8, frac_pos=0.15)),
            case("noisy XOR (not separable), 6 epochs",
                 rng.normal(scale=0.2, size=(16, 2)) + np.repeat([[0, 0], [0, 1], [1, 0], [1, 1]], 4, axis=0),
                 np.repeat([0, 1, 1, 0], 4), epochs=6)]
