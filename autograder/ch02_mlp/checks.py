"""Checks of ``ch02_mlp``: what each graded function must do, and how it is tested.

Oracles run in the grader, never in the student's process: torch for the
layers, softmax, the MLP and its argmax; plain loops for the accuracy;
``Rng(seed).python`` (the same ``default_rng(seed)`` the sandbox gives the
student) for the initialisation. ``bugs`` map a likely mistake to the value
it would produce, so feedback can name it.

``init_params`` is checked two ways. The notebook fixes a draw convention
(layer by layer, one ``rng.normal(0, sqrt(2 / fan_in), size=(fan_in,
fan_out))`` per layer, nothing else drawn), so that *exact* cases can compare
the weights value by value. *Statistical* cases accept any valid way of
drawing from the given generator: shapes, zero biases, the same weights from
two generators in the same state (probe ``call_twice``; this is what fails
when NumPy's global random state is used), and mean, standard deviation and
normal shape of every weight matrix. Both kinds weigh the same, so a valid
but different convention loses only the exact-value half.

Stability is the point of ``softmax`` and ``log_softmax``, so *every* case of
theirs holds logits where the formula as written overflows or underflows
(and, for ``log_softmax``, a vector whose logits spread so far that
``log(softmax)`` gives ``-inf``): a formula right only for small logits earns
nothing. ``accuracy`` is judged by its value: a Python or NumPy int (1 when
all are right) is as good as the float 1.0.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

from nncourse.grading.checks import Assignment, Case, Rng, all_close, close, describe, exact, known_bugs

ASSIGNMENT = Assignment("ch02_mlp", prelude="import numpy as np", forbid=("torch",))
task = ASSIGNMENT.task


def _t(x):
    return torch.from_numpy(np.asarray(x, dtype=np.float64))


def _torch_mlp(X, params):
    """Logits of the MLP, with torch: F.linear takes the weight as (out, in)."""
    H = _t(X)
    for k, (W, b) in enumerate(params):
        H = F.linear(H, _t(W).T, _t(b))
        if k < len(params) - 1:
            H = torch.relu(H)
    return H.numpy()


def _random_params(rng, sizes, scale=1.0):
    """Weights at a readable scale (not He: the logits should be of order 1 to 10)."""
    return [(rng.normal(scale=scale / math.sqrt(m), size=(m, k)), rng.normal(scale=0.5, size=k))
            for m, k in zip(sizes[:-1], sizes[1:])]


# ---------------------------------------------------------------- dense_forward
@task("dense_forward")
def dense_forward_cases(rng, hidden):
    def case(label, N, D, M, **kw):
        X, W, b = rng.normal(size=(N, D)), rng.normal(size=(D, M)), rng.normal(size=M)
        bugs = {"the bias is missing": X @ W}
        if N == M:
            bugs["the bias is added as a column (shape (M, 1)): it broadcasts along the wrong axis"] = \
                X @ W + b[:, None]
        if D == M:
            bugs["W is transposed (X @ W.T)"] = X @ W.T + b
        return Case("dense_forward", label, (X, W, b), F.linear(_t(X), _t(W).T, _t(b)).numpy(),
                    close(rtol=1e-10, atol=1e-12), bugs=bugs, **kw)

    if not hidden:
        return [case("X (4, 3), W (3, 2), b (2,) -> (4, 2)", 4, 3, 2),
                case("a single sample: X (1, 3), W (3, 5)", 1, 3, 5)]
    n = int(rng.integers(3, 7))
    return [case("random shapes", int(rng.integers(5, 30)), int(rng.integers(2, 10)), int(rng.integers(2, 10))),
            case("a square batch: N == D == M", n, n, n, weight=2),
            case("one output unit: W (D, 1), b (1,)", int(rng.integers(5, 20)), int(rng.integers(2, 8)), 1),
            case("a larger batch", 200, int(rng.integers(10, 40)), int(rng.integers(10, 40)))]


# ---------------------------------------------------------------- softmax
def _naive_softmax(Z):
    with np.errstate(all="ignore"):
        E = np.exp(Z)
        return E / E.sum(axis=-1, keepdims=True)


@task("softmax")
def softmax_cases(rng, hidden):
    def case(label, Z, **kw):
        Z = np.asarray(Z, dtype=np.float64)
        bugs = {}
        with np.errstate(all="ignore"):
            if Z.ndim >= 2:
                E = np.exp(Z - Z.max(axis=0, keepdims=True))
                bugs["the softmax is taken along the first axis (axis=0) instead of the last"] = \
                    E / E.sum(axis=0, keepdims=True)
            if Z.ndim == 2 and Z.shape[0] == Z.shape[1]:
                E = np.exp(Z - Z.max(axis=-1, keepdims=True))
                bugs["the sum is not kept as a column (keepdims=True is missing), so it is divided "
                     "along the wrong axis"] = E / E.sum(axis=-1)
            if Z.ndim >= 3:
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                bugs["the softmax is taken along axis 1, which is the last axis only for 2-d arrays "
                     "(use axis=-1)"] = E / E.sum(axis=1, keepdims=True)
            E = np.exp(Z - Z.max())
            bugs["the maximum of the whole array is subtracted instead of each row's own maximum: "
                 "rows far below it underflow to 0 / 0"] = E / E.sum(axis=-1, keepdims=True)
            bugs["the maximum is not subtracted first, so exp overflows"] = _naive_softmax(Z)
        return Case("softmax", label, (Z,), torch.softmax(_t(Z), dim=-1).numpy(),
                    close(rtol=1e-9, atol=1e-15), bugs=bugs, no_warnings=True, **kw)

    # every case holds logits beyond 709 (or far below 0), where exp overflows (or underflows to 0 / 0)
    if not hidden:
        return [case("1-d logits [1, 2, 3] + 1000: the same probabilities as [1, 2, 3]", [1001.0, 1002.0, 1003.0]),
                case("a (3, 3) batch: each row on its own, one row near 1000",
                     [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1000.0, 1004.0, 1002.0]]),
                case("a (2, 3, 4) array: along the last axis (one vector near -1000)",
                     _far_rows(rng.normal(scale=2, size=(2, 3, 4)), rng)),
                case("stable: logits like 1000, -1000 and 1e4, no nan, inf or warning",
                     [[1000.0, 1001.0, 999.0], [-1000.0, -1001.0, -999.0], [1e4, -1e4, 0.0]]),
                case("stable: rows at very different levels (1e4 and -1e4)",
                     [[1e4, 1e4 + 1.0], [-1e4, -1e4 + 2.0]])]
    N, C = int(rng.integers(4, 12)), int(rng.integers(3, 8))
    offsets = rng.choice([-1e4, -3e3, 0.0, 3e3, 1e4], size=(N, 1))
    offsets[0, 0], offsets[-1, 0] = 1e4, -1e4
    return [case("random (N, C) logits, some rows far from 0", _far_rows(rng.normal(scale=3, size=(N, C)), rng)),
            case("a square (C, C) batch, some rows far from 0", _far_rows(rng.normal(scale=2, size=(C, C)), rng)),
            case("random 3-d logits, some vectors far from 0",
                 _far_rows(rng.normal(scale=3, size=tuple(int(s) for s in rng.integers(2, 6, size=3))), rng)),
            case("random 4-d logits, some vectors far from 0",
                 _far_rows(rng.normal(size=(2, 3, 2, int(rng.integers(2, 6)))), rng)),
            case("random large logits (|z| <= 1e4)", rng.uniform(-1e4, 1e4, size=(N, C)), weight=2),
            case("rows at very different levels (up to 1e4)",
                 offsets + rng.normal(scale=3, size=(N, C)), weight=2),
            case("a single class: probabilities are all 1", 1e3 + rng.normal(scale=5, size=(N, 1)))]


# ---------------------------------------------------------------- log_softmax
def _far_rows(Z, rng, spread=False):
    """``Z`` with its first vector (along the last axis) moved near +-1000..1e4 and, with
    ``spread``, its last vector stretched so that its logits differ by more than 745."""
    Z = np.array(Z, dtype=np.float64)
    rows = Z.reshape(-1, Z.shape[-1])
    rows[0] += rng.choice([-1.0, 1.0]) * rng.uniform(1000.0, 1e4)
    if spread and Z.shape[-1] > 1:
        rows[-1, int(rng.integers(Z.shape[-1]))] -= rng.uniform(800.0, 1e4)
    return Z


@task("log_softmax")
def log_softmax_cases(rng, hidden):
    def case(label, Z, **kw):
        Z = np.asarray(Z, dtype=np.float64)
        expected = torch.log_softmax(_t(Z), dim=-1).numpy()
        with np.errstate(all="ignore"):
            m = Z.max(axis=-1, keepdims=True)
            lse = np.log(np.exp(Z - m).sum(axis=-1, keepdims=True))
            E = np.exp(Z - m)
            cand = {
                "log(softmax(Z)) is taken: probabilities that round to 0 give log(0) = -inf (use "
                "Z - max - log(sum(exp(Z - max))))": np.log(E / E.sum(axis=-1, keepdims=True)),
                "the maximum is not subtracted first, so exp overflows (or every term underflows to 0)":
                    Z - np.log(np.exp(Z).sum(axis=-1, keepdims=True)),
                "the maximum is subtracted inside the log-sum-exp but not added back: Z - log(sum(exp(Z - max)))":
                    Z - lse,
                "the maximum of the whole array is subtracted instead of each row's own maximum":
                    Z - Z.max() - np.log(np.exp(Z - Z.max()).sum(axis=-1, keepdims=True)),
                "softmax probabilities are returned, not their logarithm": E / E.sum(axis=-1, keepdims=True),
            }
            if Z.ndim >= 2:
                m0 = Z.max(axis=0, keepdims=True)
                cand["the log-softmax is taken along the first axis (axis=0) instead of the last"] = \
                    Z - m0 - np.log(np.exp(Z - m0).sum(axis=0, keepdims=True))
            if Z.ndim == 2 and Z.shape[0] == Z.shape[1]:
                cand["keepdims=True is missing, so the row results are subtracted along the wrong axis"] = \
                    Z - Z.max(axis=-1) - np.log(np.exp(Z - m).sum(axis=-1))
        bugs = known_bugs(expected, all_close(1e-9, 1e-9), **cand)
        return Case("log_softmax", label, (Z,), expected, close(rtol=1e-9, atol=1e-9), bugs=bugs,
                    no_warnings=True, **kw)

    # every case holds a vector far from 0 (overflow) and one whose logits spread beyond 745 (log(0))
    if not hidden:
        return [case("[0, -1e4]: [0, -1e4], finite", [0.0, -1e4]),
                case("a (3, 3) batch: one row near 1000, one spread over 2000",
                     [[1.0, 2.0, 3.0], [1000.0, 1002.0, 1001.0], [0.0, -2000.0, 5.0]]),
                case("a (2, 3, 4) array: along the last axis, one vector far from 0, one spread far",
                     _far_rows(rng.normal(scale=2, size=(2, 3, 4)), rng, spread=True)),
                case("stable: logits like 1000, -1000 and 1e4, no nan, inf or warning",
                     [[1000.0, 1001.0, 999.0], [-1000.0, -1001.0, -999.0], [1e4, -1e4, 0.0]])]
    N, C = int(rng.integers(4, 12)), int(rng.integers(3, 8))
    offsets = rng.choice([-1e4, -3e3, 0.0, 3e3, 1e4], size=(N, 1))
    offsets[0, 0] = 1e4
    return [case("random (N, C) logits, far and spread rows",
                 _far_rows(rng.normal(scale=3, size=(N, C)), rng, spread=True), weight=2),
            case("a square (C, C) batch, far and spread rows",
                 _far_rows(rng.normal(scale=2, size=(C, C)), rng, spread=True)),
            case("random 3-d logits, far and spread vectors",
                 _far_rows(rng.normal(scale=3, size=tuple(int(s) for s in rng.integers(2, 6, size=3))), rng,
                           spread=True)),
            case("random large logits (|z| <= 1e4)", rng.uniform(-1e4, 1e4, size=(N, C)), weight=2),
            case("rows at very different levels (up to 1e4), one spread row",
                 _far_rows(offsets + rng.normal(scale=3, size=(N, C)), rng, spread=True)),
            case("a batch of one: (1, C) logits spread far", _far_rows(rng.normal(size=(1, C)), rng, spread=True))]


# ---------------------------------------------------------------- init_params
def _he_reference(sizes, seed, std=lambda fan_in, fan_out: math.sqrt(2.0 / fan_in), transposed=False,
                  draw_b=False):
    """The stated draw convention, written independently of the solution: a standard
    normal block per layer scaled by the standard deviation. The keyword switches
    produce the bugs the feedback recognises."""
    g = Rng(seed).python
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        s = std(fan_in, fan_out)
        W = s * (g.standard_normal((fan_out, fan_in)).T if transposed else g.standard_normal((fan_in, fan_out)))
        b = np.zeros(fan_out)
        if draw_b:
            b = g.standard_normal(fan_out)
        params.append((W, b))
    return params


INIT_BUGS = {
    "the standard deviation is 2 / fan_in instead of sqrt(2 / fan_in)": dict(std=lambda i, o: 2.0 / i),
    "fan_out is used instead of fan_in": dict(std=lambda i, o: math.sqrt(2.0 / o)),
    "the variance is 1 / fan_in instead of 2 / fan_in (He's factor 2 is missing)": dict(std=lambda i, o: math.sqrt(1.0 / i)),
    "the variance is 2 / (fan_in + fan_out) (Glorot), not He's 2 / fan_in": dict(std=lambda i, o: math.sqrt(2.0 / (i + o))),
}


def _params_structure(got, expected) -> str | None:
    """Is ``got`` a list of (W, b) pairs shaped like ``expected``, with zero biases?"""
    L = len(expected)
    if not isinstance(got, (list, tuple)) or len(got) != L:
        return f"expected a list of {L} (W, b) pairs (one per layer), got {describe(got)}" + (
            f" of length {len(got)}" if isinstance(got, (list, tuple)) else "")
    for k, (pair, (W_e, b_e)) in enumerate(zip(got, expected), start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return f"layer {k}: expected a pair (W, b), got {describe(pair)}"
        for name, got_a, exp_a in (("W", pair[0], W_e), ("b", pair[1], b_e)):
            if not isinstance(got_a, np.ndarray):
                return f"layer {k}: {name} should be a NumPy array of shape {exp_a.shape}, got {describe(got_a)}"
            if got_a.shape != exp_a.shape:
                hint = " ((fan_in, fan_out) expected)" if name == "W" else ""
                return f"layer {k}: {name} has shape {got_a.shape}, expected {exp_a.shape}{hint}"
            if got_a.dtype != np.float64:
                return f"layer {k}: {name} has dtype {got_a.dtype}, expected float64"
        if np.any(pair[1] != 0):
            return f"layer {k}: b must be all zeros"
        if not np.all(np.isfinite(pair[0])):
            return f"layer {k}: W contains nan or inf"
    return None


def params_exact(rtol=1e-12, atol=1e-15):
    """The weights of the stated draw convention, value by value (up to rounding)."""
    values = close(rtol=rtol, atol=atol)

    def compare(got, expected):
        problem = _params_structure(got, expected)
        if problem is not None:
            return problem
        for k, ((W, _), (W_e, _)) in enumerate(zip(got, expected), start=1):
            p = values(W, W_e)
            if p is None:
                continue
            c = float(np.vdot(W, W_e) / np.vdot(W_e, W_e))  # the best factor: W ~ c * W_e?
            if values(W, c * W_e) is None:
                return (f"layer {k}: W holds the stated draws times {c:.4g}: the standard deviation is wrong "
                        f"(it must be sqrt(2 / fan_in))")
            return (f"layer {k}: W is not what the stated draws give ({p}). Draw only from the rng argument "
                    f"(never np.random): one rng.normal(0, sqrt(2 / fan_in), size=(fan_in, fan_out)) per layer, "
                    f"in layer order, and nothing else from rng")
        return None

    return compare


def params_he_stats(std_rtol=0.05, frac_atol=0.04):
    """Any valid He draw from the given generator: the pair of results of two calls on
    generators in the same state (probe ``call_twice``) must be equal, well shaped, with
    zero biases, and each W must have mean 0, the expected standard deviation and a
    normal shape (about 68% of the entries within one standard deviation)."""

    def compare(got, expected):
        if not isinstance(got, tuple) or len(got) != 2:
            return f"expected the results of two calls, got {describe(got)}"
        first, second = got
        problem = _params_structure(first, expected[0])
        if problem is not None:
            return problem
        if _params_structure(second, expected[1]) is not None or any(
                not np.array_equal(W1, W2) for (W1, _), (W2, _) in zip(first, second)):
            return ("two calls with generators in the same state gave different weights: draw only from "
                    "the rng argument, never from np.random (NumPy's global random state)")
        for k, ((W, _), (W_e, _)) in enumerate(zip(first, expected[0]), start=1):
            n = W.size
            s_e = float(np.std(W_e))
            s_g = float(np.std(W))
            if not math.isfinite(s_g) or abs(s_g / s_e - 1) > std_rtol:
                return f"layer {k}: the standard deviation of W is {s_g:.4g}, expected about {s_e:.4g}"
            m_g = float(np.mean(W))
            if abs(m_g - float(np.mean(W_e))) > 8 * s_e / math.sqrt(n):
                return f"layer {k}: the mean of W is {m_g:.3g}, expected about 0"
            f_g = float(np.mean(np.abs(W) < s_e))
            f_e = float(np.mean(np.abs(W_e) < s_e))
            if abs(f_g - f_e) > frac_atol:
                return (f"layer {k}: W does not look normally distributed: {100 * f_g:.1f}% of its entries "
                        f"lie within one standard deviation of 0, expected about {100 * f_e:.0f}%")
        return None

    return compare


@task("init_params")
def init_params_cases(rng, hidden):
    def exact_case(label, sizes, seed, **kw):
        bugs = {bug: _he_reference(sizes, seed, **sw) for bug, sw in INIT_BUGS.items()}
        bugs["W is drawn with shape (fan_out, fan_in) and transposed: a valid He draw, but not the "
             "stated order of draws"] = _he_reference(sizes, seed, transposed=True)
        return Case("init_params", label, (list(sizes), Rng(seed)), _he_reference(sizes, seed),
                    params_exact(), bugs=bugs, **kw)

    def stats_case(label, sizes, seed, **kw):
        twice = lambda **sw: (_he_reference(sizes, seed, **sw), _he_reference(sizes, seed, **sw))  # noqa: E731
        return Case("init_params", label, (list(sizes), Rng(seed)), twice(), params_he_stats(),
                    bugs={bug: twice(**sw) for bug, sw in INIT_BUGS.items()}, probe="call_twice", **kw)

    if not hidden:
        return [exact_case("layer sizes [2, 3, 2], rng = default_rng(0): the stated draws, exactly",
                           [2, 3, 2], 0, weight=2),
                stats_case("layer sizes [400, 100, 250]: any valid He draw (shapes, zero biases, the same "
                           "weights from generators in the same state, W ~ N(0, 2 / fan_in))", [400, 100, 250], 1,
                           weight=2)]
    seed = lambda: int(rng.integers(2**31))  # noqa: E731
    depth = int(rng.integers(3, 6))
    sizes = [int(s) for s in rng.integers(2, 12, size=depth + 1)]
    big = [int(rng.integers(300, 500)), int(rng.integers(60, 120)), int(rng.integers(250, 400)),
           int(rng.integers(60, 120))]
    return [exact_case("random layer sizes and seed: the stated draws, exactly", sizes, seed(), weight=2),
            exact_case("one layer [D, C]: exactly", [int(rng.integers(3, 30)), int(rng.integers(2, 6))], seed()),
            exact_case("a deeper network, other seed: exactly", [5, 16, 16, 16, 3], seed()),
            stats_case("large random layers: W ~ N(0, 2 / fan_in) from the given generator", big, seed(),
                       weight=4)]


# ---------------------------------------------------------------- mlp_forward and predict
def _mlp_variants(X, params):
    """The values of the likely bugs of an MLP forward pass."""
    def run(act_hidden=True, act_last=False, act_input=False, act_each_input=False, softmax_out=False,
            act=None):
        act = act or (lambda z: np.maximum(z, 0.0))
        H = act(X) if act_input else X
        for k, (W, b) in enumerate(params):
            H = (act(H) if act_each_input and k > 0 else H) @ W + b
            last = k == len(params) - 1
            if (act_hidden and not last) or (act_last and last):
                H = act(H)
        if softmax_out:
            E = np.exp(H - H.max(axis=1, keepdims=True))
            H = E / E.sum(axis=1, keepdims=True)
        return H

    return {"the ReLU is applied after the last layer too (logits must be able to be negative)":
            run(act_last=True),
            "there is no ReLU between the layers": run(act_hidden=False),
            "the ReLU is applied to the input of every layer instead of to the output of the hidden ones":
            run(act_hidden=False, act_input=True, act_each_input=True),
            "softmax probabilities are returned instead of the logits": run(softmax_out=True),
            "a sigmoid is used between the layers instead of ReLU":
            run(act=lambda z: 0.5 * (1 + np.tanh(0.5 * z)))}


def _net(rng, N, sizes, last_bias=None):
    X = rng.normal(size=(N, sizes[0]))
    params = _random_params(rng, sizes, scale=1.5)
    if last_bias is not None:
        W, b = params[-1]
        params[-1] = (W, b + last_bias)
    return X, params


@task("mlp_forward")
def mlp_forward_cases(rng, hidden):
    def case(label, X, params, **kw):
        return Case("mlp_forward", label, (X, params), _torch_mlp(X, params), close(rtol=1e-9, atol=1e-11),
                    bugs=_mlp_variants(X, params), **kw)

    if not hidden:
        return [case("one layer [3, 2]: just X @ W + b, no ReLU", *_net(rng, 4, [3, 2])),
                case("two layers [2, 4, 3]", *_net(rng, 5, [2, 4, 3])),
                case("three layers [3, 5, 4, 2]", *_net(rng, 6, [3, 5, 4, 2]))]
    depth = int(rng.integers(3, 6))
    sizes = [int(s) for s in rng.integers(2, 10, size=depth + 1)]
    return [case("random depth and widths", *_net(rng, int(rng.integers(5, 30)), sizes), weight=2),
            case("two layers, logits mostly negative", *_net(rng, 10, [4, 8, 3], last_bias=-4.0)),
            case("a batch of one sample", *_net(rng, 1, [5, 7, 4])),
            case("one layer, random shapes", *_net(rng, 8, [int(rng.integers(2, 8)), int(rng.integers(2, 6))]))]


@task("predict")
def predict_cases(rng, hidden):
    def case(label, X, params, **kw):
        logits = _torch_mlp(X, params)
        relu_last = np.maximum(logits, 0.0)
        no_relu = X
        for W, b in params:
            no_relu = no_relu @ W + b
        return Case("predict", label, (X, params), torch.argmax(_t(logits), dim=1).numpy(), exact(),
                    bugs={"the ReLU is applied after the last layer too: negative logits all become 0 "
                          "and the argmax picks class 0": relu_last.argmax(axis=1),
                          "there is no ReLU between the layers": no_relu.argmax(axis=1),
                          "argmin is used instead of argmax": logits.argmin(axis=1)}, **kw)

    if not hidden:
        return [case("two layers [2, 4, 3], 6 samples", *_net(rng, 6, [2, 4, 3])),
                case("one layer [3, 4]: the argmax of X @ W + b", *_net(rng, 5, [3, 4])),
                case("logits all negative (no ReLU on the last layer!)", *_net(rng, 8, [2, 6, 3], last_bias=-20.0))]
    depth = int(rng.integers(2, 5))
    sizes = [int(s) for s in rng.integers(2, 10, size=depth + 1)]
    sizes[-1] = max(sizes[-1], 2)
    return [case("random depth and widths", *_net(rng, int(rng.integers(10, 60)), sizes), weight=2),
            case("logits all negative", *_net(rng, 20, [3, 8, 4], last_bias=-20.0)),
            case("a batch of one sample", *_net(rng, 1, [4, 6, 5])),
            case("more classes than samples", *_net(rng, 3, [4, 5, 7]))]


# ---------------------------------------------------------------- accuracy
def fraction(atol=1e-12):
    """A single number equal to the expected fraction: a Python or NumPy float, or an int
    (judged by its value: 1 is as good as 1.0), never an array of several values or a bool."""

    def compare(got, expected):
        if isinstance(got, np.ndarray):
            if got.shape != ():
                return (f"expected a single float, got an array of shape {got.shape}: reduce it to one number "
                        f"(np.mean of the comparisons, or float(...))")
            if got.dtype.kind not in "iuf":
                return f"expected a float, got a NumPy {got.dtype} value"
            got = got.item()
        if isinstance(got, np.generic) and got.dtype.kind in "iuf":
            got = got.item()
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return f"expected a float, got {describe(got)}"
        if not math.isfinite(got) or abs(got - expected) > atol:
            hint = " (the accuracy is a fraction in [0, 1])" if not 0 <= got <= 1 else ""
            if isinstance(got, int):  # judged by value; but an int that is wrong is a telling sign
                hint += ": a count, or an integer division (//)? Divide with / to get a fraction"
            return f"value differs: error {abs(got - expected):.3g}" + hint
        return None

    return compare


def _accuracy_reference(y_pred, y_true):
    hits = 0
    for p, t in zip(y_pred.tolist(), y_true.tolist()):
        hits += p == t
    return hits / len(y_true)


@task("accuracy")
def accuracy_cases(rng, hidden):
    def case(label, y_pred, y_true, **kw):
        y_pred, y_true = np.asarray(y_pred), np.asarray(y_true)
        acc = _accuracy_reference(y_pred, y_true)
        return Case("accuracy", label, (y_pred, y_true), acc, fraction(),
                    bugs={"the accuracy is returned as a percentage (times 100)": 100.0 * acc,
                          "the error rate (1 - accuracy) is returned": 1.0 - acc,
                          "the result is rounded": round(acc, 2)}, **kw)

    if not hidden:
        return [case("3 of 4 correct: 0.75", [0, 1, 2, 1], [0, 1, 1, 1]),
                case("7 samples, 3 correct", [2, 0, 1, 1, 0, 2, 2], [2, 1, 1, 0, 1, 0, 2]),
                case("all correct: 1.0", [1, 0, 1], [1, 0, 1])]
    N = int(rng.integers(7, 60))
    C = int(rng.integers(2, 6))
    y_true = rng.integers(0, C, size=N)
    y_pred = np.where(rng.random(N) < 0.6, y_true, rng.integers(0, C, size=N))
    y_none = (y_true + 1) % C
    return [case("random predictions", y_pred, y_true, weight=2),
            case("none correct: 0.0", y_none, y_true),
            case("a single sample", y_pred[:1], y_true[:1]),
            case("labels as int32, predictions as int64", y_pred[:13].astype(np.int64),
                 y_true[:13].astype(np.int32))]
