"""Checks of ``ch03_loss_gd``: what each graded function must do, and how it is tested.

Oracles run in the grader, never in the student's process: torch for the
losses and for the gradients of the test functions of
``numerical_gradient`` (autograd), closed forms and plain loops for the
rest. ``bugs`` map a likely mistake to the value it would produce, so
feedback can name it.
"""

import re

import numpy as np
import torch
import torch.nn.functional as F

from nncourse.grading.checks import (Assignment, Case, Fn, Rng, all_close, close, exact, known_bugs, passes,
                                     scalar, sequence)
from nncourse.grading.wire import Unsupported

ASSIGNMENT = Assignment("ch03_loss_gd", prelude="import numpy as np", forbid=("torch",))
task = ASSIGNMENT.task


def _t(x):
    return torch.from_numpy(np.array(x, dtype=np.float64))


def _kind(x) -> str:
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    if isinstance(x, Unsupported):
        return f"an object of type {x.type_name}"
    return f"a {type(x).__name__}"


def hinting(compare, hint):
    """``compare``, with ``hint`` added when the value it rejects holds a nan or an inf."""

    def wrapped(got, expected):
        problem = compare(got, expected)
        if problem is not None and re.search(r"\b(nan|inf)\b", problem):
            problem += f"; {hint}"
        return problem

    return wrapped


# ---------------------------------------------------------------- mse_loss
@task("mse_loss")
def mse_loss_cases(rng, hidden):
    def case(label, y_pred, y_true, **kw):
        y_pred, y_true = np.asarray(y_pred, dtype=np.float64), np.asarray(y_true, dtype=np.float64)
        d = y_pred - y_true
        rows = len(y_pred)
        return Case("mse_loss", label, (y_pred, y_true), F.mse_loss(_t(y_pred), _t(y_true)).item(),
                    scalar(rtol=1e-10, atol=1e-12),
                    bugs={"the squared errors are summed, not averaged": float(np.sum(d * d)),
                          "the errors are not squared (mean absolute error)": float(np.mean(np.abs(d))),
                          "the square root is taken (RMSE, not MSE)": float(np.sqrt(np.mean(d * d))),
                          "the sum is divided by the number of rows, not of elements": float(np.sum(d * d)) / rows,
                          "the mean is halved (1/2 MSE)": 0.5 * float(np.mean(d * d))},
                    **kw)

    if not hidden:
        return [case("y_pred = [1, 2, 3], y_true = [1, 0, 5]: (0 + 4 + 4) / 3", [1.0, 2.0, 3.0], [1.0, 0.0, 5.0]),
                case("(4, 3) targets: the mean runs over all 12 elements", rng.normal(size=(4, 3)),
                     rng.normal(size=(4, 3)))]
    n, m = int(rng.integers(5, 30)), int(rng.integers(2, 6))
    return [case("random 1-d arrays", rng.normal(size=n), rng.normal(size=n)),
            case("random (N, M) arrays", rng.normal(scale=3, size=(n, m)), rng.normal(size=(n, m))),
            case("random (2, N, M) arrays", rng.normal(size=(2, n, m)), rng.normal(size=(2, n, m)))]


# ---------------------------------------------------------------- cross_entropy
def _ce_bugs(Z, y):
    """Values of likely mistakes, computed independently of the oracle."""
    N, C = Z.shape
    m = Z.max(axis=1)
    lse = m + np.log(np.exp(Z - m[:, None]).sum(axis=1))            # (N,)
    per = lse - Z[np.arange(N), y]
    m0 = Z.max(axis=0)
    lse0 = m0 + np.log(np.exp(Z - m0).sum(axis=0))                     # (C,): over the batch
    return {"the losses are summed over the batch, not averaged": float(per.sum()),
            "the mean runs over all N*C entries (divide by N only)": float(per.sum() / (N * C)),
            "labels index every row at once (logits[:, labels] is (N, N))":
                float(np.mean(lse - Z[:, y])),
            "softmax is taken along axis 0 (the batch) instead of the classes":
                float(np.mean(lse0[y] - Z[np.arange(N), y]))}


@task("cross_entropy")
def cross_entropy_cases(rng, hidden):
    def case(label, Z, y, **kw):
        Z, y = np.asarray(Z, dtype=np.float64), np.asarray(y, dtype=np.int64)
        expected = F.cross_entropy(_t(Z), torch.from_numpy(y)).item()
        cmp = hinting(scalar(rtol=1e-9, atol=1e-10), "not stable: subtract each row's maximum inside the "
                      "log-sum-exp and never take the log of a probability")
        return Case("cross_entropy", label, (Z, y), expected, cmp,
                    bugs=_ce_bugs(Z, y), **kw)

    def labels(n, c):
        return rng.integers(0, c, size=n)

    if not hidden:
        return [case("2 examples, 3 classes", [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], [0, 2]),
                case("all-zero logits: the loss is log C = log 4", np.zeros((5, 4)), [0, 1, 2, 3, 0]),
                case("(6, 4) random logits", rng.normal(size=(6, 4)), labels(6, 4)),
                case("stable for logits up to 1e4: no nan, inf or warning",
                     [[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0], [0.0, 1000.0, -1000.0]], [0, 2, 0],
                     no_warnings=True)]
    n, c = int(rng.integers(5, 40)), int(rng.integers(2, 12))
    big_n = int(rng.integers(10, 30))
    return [case("random logits and labels", rng.normal(scale=2, size=(n, c)), labels(n, c)),
            case("random logits of magnitude up to 1e4, no warning",
                 rng.uniform(-1e4, 1e4, size=(big_n, 5)), labels(big_n, 5), no_warnings=True, weight=2),
            case("a single example", rng.normal(size=(1, c)), labels(1, c)),
            case("two classes, logits shifted by a large constant (the loss must not change)",
                 rng.normal(size=(n, 2)) + 5000.0, labels(n, 2), no_warnings=True)]


# ---------------------------------------------------------------- numerical_gradient
def _torch_quadratic_form(t):
    v = t.reshape(-1)
    i = torch.arange(v.numel(), dtype=torch.float64)
    A = torch.cos(i.unsqueeze(1) + 2 * i.unsqueeze(0)) + 2 * torch.eye(v.numel(), dtype=torch.float64)
    return 0.5 * torch.dot(v, A @ v)


TEST_FUNCTIONS = {  # name -> torch version (for autograd); the sandbox has numpy ones (harness.CALLABLES)
    "sum_sin": lambda t: torch.sin(t).sum(),
    "sum_cubes": lambda t: (t ** 3).sum(),
    "quadratic_form": _torch_quadratic_form,
    "logsumexp_all": lambda t: torch.logsumexp(t.reshape(-1), 0),
}


def _as_numpy_fn(torch_fn):
    return lambda x: float(torch_fn(torch.from_numpy(np.array(x, dtype=np.float64))))


FUNCS = {name: Fn(name, _as_numpy_fn(tf)) for name, tf in TEST_FUNCTIONS.items()}


def analytic_gradient(name, x):
    t = _t(x).requires_grad_()
    TEST_FUNCTIONS[name](t).backward()
    return t.grad.numpy()


def difference_quotients(f, x, eps, forward=False, over_eps=False, leave=None):
    """Plain loop over the entries of a copy of x; the switches produce the bugs."""
    x = np.array(x, dtype=np.float64)
    g = np.empty(x.shape)
    for idx in np.ndindex(*x.shape):
        orig = x[idx]
        x[idx] = orig + eps
        up = f(x)
        x[idx] = orig if forward else orig - eps
        down = f(x)
        x[idx] = {None: orig, "plus": orig + eps, "minus": orig - eps}[leave]
        g[idx] = (up - down) / (eps if forward or over_eps else 2 * eps)
    return g


@task("numerical_gradient")
def numerical_gradient_cases(rng, hidden):
    def case(label, name, x, eps=None, positional=False, **kw):
        x = np.asarray(x, dtype=np.float64)
        f = FUNCS[name]
        h = 1e-5 if eps is None else eps
        if eps is None:   # central differences are within ~1e-9 of the true gradient
            expected, compare = analytic_gradient(name, x), close(rtol=1e-6, atol=1e-7)
        elif name == "sum_cubes":  # exactly: ((x+h)^3 - (x-h)^3) / 2h = 3x^2 + h^2
            expected, compare = 3 * x ** 2 + h ** 2, close(rtol=1e-8, atol=1e-9)
        else:  # sum_sin, exactly: (sin(x+h) - sin(x-h)) / 2h = cos(x) sin(h) / h
            expected, compare = np.cos(x) * np.sin(h) / h, close(rtol=1e-8, atol=1e-9)
        dq = lambda **sw: difference_quotients(f.python, x, h, **sw)  # noqa: E731
        bugs = {"it uses forward differences (f(x + eps) - f(x)) / eps, not central ones": dq(forward=True),
                "the central difference is divided by eps instead of 2 * eps": dq(over_eps=True),
                "x[i] is left at x[i] + eps (not restored before the next entry)": dq(leave="plus"),
                "x[i] is left at x[i] - eps (not restored before the next entry)": dq(leave="minus")}
        if eps is not None:
            bugs["the eps argument is ignored (a fixed step of 1e-5 is used)"] = \
                difference_quotients(f.python, x, 1e-5)
        if positional:
            args, kwargs = (f, x, eps), {}
        else:
            args, kwargs = (f, x), ({} if eps is None else {"eps": eps})
        return Case("numerical_gradient", label, args, expected, compare, kwargs=kwargs, bugs=bugs, **kw)

    if not hidden:
        return [case("f = sum(sin(x)) at x = [-2, -1, 0, 1, 2]: the gradient is cos(x)", "sum_sin",
                     np.linspace(-2, 2, 5)),
                case("a quadratic form of a (3, 4) array: the gradient has x's shape", "quadratic_form",
                     rng.normal(size=(3, 4))),
                case("eps is used: f = sum(x**3) with eps=0.1 gives exactly 3 x**2 + eps**2", "sum_cubes",
                     np.array([-1.0, 0.5, 2.0]), eps=0.1)]
    return [case("sum of sin, random (n,) vector", "sum_sin", rng.uniform(-3, 3, size=int(rng.integers(6, 15)))),
            case("quadratic form, random 2-d array", "quadratic_form",
                 rng.normal(size=(int(rng.integers(2, 5)), int(rng.integers(2, 5)))), weight=2),
            case("log-sum-exp, random 3-d array", "logsumexp_all", rng.normal(size=(2, 3, int(rng.integers(2, 4))))),
            case("sum of cubes, a random eps given as the third positional argument", "sum_cubes",
                 rng.normal(size=int(rng.integers(3, 8))), eps=float(rng.uniform(1e-3, 0.1)), positional=True),
            case("sum of sin, random (2, n) array and eps=0.05", "sum_sin",
                 rng.uniform(-3, 3, size=(2, int(rng.integers(2, 6)))), eps=0.05)]


# ---------------------------------------------------------------- gd_step
def parameter_list(rtol=1e-12, atol=1e-14):
    """A new list whose items pass ``close`` (array parameters) or ``scalar`` (float parameters)."""
    arr, num = close(rtol, atol), scalar(rtol, atol)

    def compare(got, expected):
        if not isinstance(got, (list, tuple)):  # a tuple holds the same values: judged as a list
            return f"expected a new list (one entry per parameter), got {_kind(got)}"
        if len(got) != len(expected):
            return f"expected a list of {len(expected)} entries (one per parameter), got {len(got)}"
        for k, (g, e) in enumerate(zip(got, expected)):
            problem = (arr if isinstance(e, np.ndarray) else num)(g, e)
            if problem is not None:
                return f"parameter #{k + 1}: {problem}"
        return None

    return compare


@task("gd_step")
def gd_step_cases(rng, hidden):
    def case(label, params, grads, lr, **kw):
        def step(sign=-1.0, rate=lr):  # plain arithmetic per entry, no NumPy broadcasting
            out = []
            for p, g in zip(params, grads):
                if isinstance(p, np.ndarray):
                    flat = [a + sign * rate * b for a, b in zip(p.ravel().tolist(), g.ravel().tolist())]
                    out.append(np.array(flat, dtype=np.float64).reshape(p.shape))
                else:
                    out.append(p + sign * rate * g)
            return out

        bugs = {"it steps up the gradient (p + lr * g)": step(sign=1.0),
                "the learning rate is ignored (p - g)": step(rate=1.0)}
        if not all(isinstance(p, np.ndarray) for p in params):
            bugs["it updates in place (p -= lr * g) and returns params: arrays change in the caller's "
                 "list, and a float entry does not change at all"] = \
                [new if isinstance(p, np.ndarray) else p for p, new in zip(params, step())]
        return Case("gd_step", label, (params, grads, lr), step(), parameter_list(), bugs=bugs, **kw)

    def arrays(shapes):
        return [rng.normal(size=s) for s in shapes], [rng.normal(size=s) for s in shapes]

    if not hidden:
        W, b = np.array([[1.0, -1.0], [0.5, 2.0], [0.0, 1.0]]), np.array([0.1, -0.2])
        dW, db = np.array([[1.0, 0.0], [-2.0, 1.0], [0.5, 0.5]]), np.array([1.0, -1.0])
        return [case("[W (3, 2), b (2,)] with lr = 0.1", [W, b], [dW, db], 0.1),
                case("[w, b] with b a float, as in the chapter, lr = 0.5",
                     [np.array([1.0, 2.0]), 0.25], [np.array([0.5, -1.0]), 0.5], 0.5)]
    shapes = [tuple(int(s) for s in rng.integers(1, 6, size=int(rng.integers(1, 3))))
              for _ in range(int(rng.integers(2, 5)))]
    P, G = arrays(shapes)
    P1, G1 = arrays([(int(rng.integers(3, 9)),)])
    P2, G2 = arrays([(int(rng.integers(2, 6)), 3), (3,)])
    return [case("random list of arrays of several shapes, random lr", P, G, float(rng.uniform(1e-3, 1)), weight=2),
            case("a single array parameter, lr = 2.5", P1, G1, 2.5),
            case("arrays and a float parameter, random lr", [*P2, float(rng.normal())], [*G2, float(rng.normal())],
                 float(rng.uniform(0.01, 0.5)))]


# ---------------------------------------------------------------- logistic_regression_grad
def logistic_oracle(X, y, w, b):
    """torch: binary_cross_entropy_with_logits, gradients by autograd."""
    wt = _t(w).requires_grad_()
    bt = torch.tensor(float(b), dtype=torch.float64, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(_t(X) @ wt + bt, _t(y))
    loss.backward()
    return loss.item(), wt.grad.numpy(), bt.grad.item()


@task("logistic_regression_grad")
def logistic_cases(rng, hidden):
    def case(label, X, y, w, b, **kw):
        X, w = np.asarray(X, dtype=np.float64), np.asarray(w, dtype=np.float64)
        loss, dw, db = logistic_oracle(X, y, w, b)
        N = len(X)
        cmp = hinting(sequence(scalar(rtol=1e-9, atol=1e-12), close(rtol=1e-7, atol=1e-10),
                               scalar(rtol=1e-7, atol=1e-10), names=("loss", "dw", "db")),
                      "not stable: use softplus(z) - y * z with a stable softplus such as np.logaddexp(0, z)")
        return Case("logistic_regression_grad", label, (X, y, w, b), (loss, dw, db), cmp,
                    bugs={"the loss and gradients are sums over the batch, not means": (N * loss, N * dw, N * db),
                          "the gradients have the wrong sign (y - p instead of p - y)": (loss, -dw, -db),
                          "the gradients are not divided by N": (loss, N * dw, N * db),
                          "the bias b is left out of z = X @ w + b": logistic_oracle(X, y, w, 0.0)},
                    **kw)

    def data(n, d, scale=1.0):
        X = rng.normal(scale=scale, size=(n, d))
        return X, rng.integers(0, 2, size=n).astype(np.float64), rng.normal(size=d), float(rng.normal())

    def huge(n, d):  # |z| up to 1e4, labels independent of z: many confident mistakes
        X, y, w, b = data(n, d)
        s = 1e4 / np.max(np.abs(X @ w + b))
        return X * s, y, w, b * s

    if not hidden:
        X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -1.0], [2.0, 1.0]])
        return [case("4 samples, 2 features", X, np.array([1.0, 0.0, 0.0, 1.0]), np.array([0.5, -0.25]), 0.1),
                case("w = 0, b = 0: p = 0.5 everywhere and the loss is log 2", rng.normal(size=(6, 3)),
                     np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0]), np.zeros(3), 0.0),
                case("stable for |X @ w + b| up to 1e4: no nan, inf or warning", *huge(8, 3), no_warnings=True)]
    n, d = int(rng.integers(10, 40)), int(rng.integers(2, 7))
    Xi, yi, wi, bi = data(int(rng.integers(8, 20)), 3, scale=2.0)
    return [case("random data (N, D)", *data(n, d)),
            case("random data, integer labels", Xi, yi.astype(np.int64), wi, bi),
            case("random data with |z| up to 1e4, no warning", *huge(int(rng.integers(10, 30)), d),
                 no_warnings=True, weight=2),
            case("a single sample", *data(1, d))]


# ---------------------------------------------------------------- iterate_minibatches
def index_batches():
    """A list of 1-d integer arrays, equal to the expected ones batch by batch."""
    each = exact("iu")

    def compare(got, expected):
        sizes = [len(e) for e in expected]
        if not isinstance(got, (list, tuple)):  # a tuple of batches holds the same values
            problem = f"expected a list of {len(expected)} index arrays, got {_kind(got)}"
            if "generator" in _kind(got):
                problem += " (a generator cannot be graded: return a list, e.g. list(...) around it)"
            return problem
        if len(got) != len(expected):
            shown = ", ".join(map(str, sizes)) if len(sizes) <= 6 else f"{sizes[0]}, {sizes[1]}, ..., {sizes[-1]}"
            return f"got {len(got)} batches, expected {len(expected)} (of sizes {shown})"
        for k, (g, size) in enumerate(zip(got, sizes)):
            if not (isinstance(g, list) or isinstance(g, np.ndarray) and g.ndim == 1):
                return f"batch #{k + 1} is {_kind(g)}, expected a 1-d integer array"
            if len(g) != size:
                return (f"batch #{k + 1} holds {len(g)} indices, expected {size} (batch_size each, "
                        "only the last one smaller)")
        for k, (g, e) in enumerate(zip(got, expected)):
            problem = each(g, e)
            if problem is not None and "entries are wrong" in problem:
                try:
                    everything = np.sort(np.concatenate([np.asarray(b, dtype=np.int64) for b in got]))
                except (TypeError, ValueError, OverflowError):
                    return f"batch #{k + 1}: {problem}"
                if np.array_equal(everything, np.arange(sum(sizes))):
                    return ("the batches hold every index once, but not in the order of rng.permutation(n): "
                            "draw the permutation with the Generator you are given, once")
                return "the batches must hold every index of range(n) exactly once"
            if problem is not None:
                return f"batch #{k + 1}: {problem}"
        return None

    return compare


@task("iterate_minibatches")
def minibatch_cases(rng, hidden):
    def case(label, n, batch_size, seed=None, **kw):
        gen = Rng(int(rng.integers(2**31)) if seed is None else seed)
        perm = gen.python.permutation(n)
        cut = lambda p: [p[i:i + batch_size] for i in range(0, n, batch_size)]  # noqa: E731
        bugs = {"the indices are not shuffled": cut(np.arange(n))}
        if n % batch_size:
            bugs["the last, smaller batch is dropped"] = cut(perm)[:-1]
        return Case("iterate_minibatches", label, (n, batch_size, gen), cut(perm), index_batches(), bugs=bugs, **kw)

    if not hidden:
        return [case("n = 10, batch_size = 4: batches of 4, 4 and 2", 10, 4, seed=0),
                case("n = 12, batch_size = 3: four full batches", 12, 3, seed=1),
                case("n = 7, batch_size = 10: a single batch", 7, 10, seed=2)]
    n = int(rng.integers(20, 200))
    bs = int(rng.integers(2, 9))
    return [case("random n and batch size", n, bs, weight=2),
            case("n a multiple of the batch size", bs * int(rng.integers(3, 10)), bs),
            case("batch_size = 1", int(rng.integers(8, 20)), 1),
            case("a large batch, the last one much smaller", int(rng.integers(50, 100)), 32)]


# ---------------------------------------------------------------- huber_loss and huber_grad
def _huber_parts(y_pred, y_true, delta):
    """Elementwise pieces of the Huber loss, computed without torch (for the bugs)."""
    r = y_pred - y_true
    a = np.abs(r)
    inside = a <= delta
    return r, a, inside


def _huber_data(rng, shape, scale=3.0):
    """Predictions and targets whose residuals fall on both sides of any delta in [0.3, 3]."""
    y_true = rng.normal(size=shape)
    return y_true + rng.normal(scale=scale, size=shape), y_true


@task("huber_loss")
def huber_loss_cases(rng, hidden):
    def case(label, y_pred, y_true, delta=None, positional=False, **kw):
        y_pred, y_true = np.asarray(y_pred, dtype=np.float64), np.asarray(y_true)
        d = 1.0 if delta is None else float(delta)
        expected = F.huber_loss(_t(y_pred), _t(y_true), delta=d).item()
        r, a, inside = _huber_parts(y_pred, y_true.astype(np.float64), d)
        K = r.size
        pieces = np.where(inside, 0.5 * r * r, d * (a - 0.5 * d))
        cmp = scalar(rtol=1e-10, atol=1e-12)
        bugs = known_bugs(expected, passes(cmp), **{
            "the losses are summed, not averaged": float(pieces.sum()),
            "the quadratic part lacks the factor 0.5 (r**2 instead of 0.5 r**2)":
                float(np.mean(np.where(inside, r * r, d * (a - 0.5 * d)))),
            "the linear part lacks the - 0.5 delta (delta * |r| instead of delta * (|r| - delta / 2))":
                float(np.mean(np.where(inside, 0.5 * r * r, d * a))),
            "it is divided by delta (that is PyTorch's smooth_l1_loss with beta = delta, not huber_loss)":
                float(np.mean(pieces)) / d,
            "the branches are swapped (quadratic for |r| > delta)":
                float(np.mean(np.where(~inside, 0.5 * r * r, d * (a - 0.5 * d)))),
            "the delta argument is ignored (delta = 1 is used)":
                float(np.mean(np.where(a <= 1.0, 0.5 * r * r, a - 0.5))),
            "the sum is divided by the number of rows, not of elements":
                float(pieces.sum()) / len(r) if r.ndim > 1 else None,
            "the residual is not made absolute (r instead of |r| in the linear part)":
                float(np.mean(np.where(inside, 0.5 * r * r, d * (r - 0.5 * d)))),
        })
        if positional:
            args, kwargs = (y_pred, y_true, d), {}
        else:
            args, kwargs = (y_pred, y_true), ({} if delta is None else {"delta": delta})
        return Case("huber_loss", label, args, expected, cmp, kwargs=kwargs, bugs=bugs, **kw)

    if not hidden:
        return [case("r = [0.5, -2, 3], delta = 1 (default): (0.125 + 1.5 + 2.5) / 3",
                     [1.5, -2.0, 3.0], [1.0, 0.0, 0.0]),
                case("(4, 3) arrays with delta = 2.5: the mean runs over all 12 elements",
                     *_huber_data(rng, (4, 3)), delta=2.5),
                case("delta = 0.5 given as the third positional argument", *_huber_data(rng, 8), delta=0.5,
                     positional=True),
                case("residuals up to 1e4 (an outlier costs delta * |r|, no overflow)",
                     np.array([1e4, -3e3, 0.2, -0.1]), np.zeros(4), delta=1.5, no_warnings=True)]
    n, m = int(rng.integers(5, 30)), int(rng.integers(2, 6))
    d1, d2 = float(rng.uniform(0.3, 3.0)), float(rng.uniform(0.3, 3.0))
    return [case("random 1-d arrays, default delta", *_huber_data(rng, n)),
            case("random (N, M) arrays, random delta", *_huber_data(rng, (n, m)), delta=d1, weight=2),
            case("random (2, N, M) arrays, random delta (positional)", *_huber_data(rng, (2, n, m)), delta=d2,
                 positional=True),
            case("integer targets, random delta", rng.normal(scale=4, size=n), rng.integers(-3, 4, size=n),
                 delta=d1),
            case("all residuals inside delta: half the MSE", *_huber_data(rng, (n, m), scale=0.1), delta=5.0)]


@task("huber_grad")
def huber_grad_cases(rng, hidden):
    def case(label, y_pred, y_true, delta=None, positional=False, **kw):
        y_pred, y_true = np.asarray(y_pred, dtype=np.float64), np.asarray(y_true)
        d = 1.0 if delta is None else float(delta)
        yp = _t(y_pred).requires_grad_()
        F.huber_loss(yp, _t(y_true), delta=d).backward()
        expected = yp.grad.numpy()
        r, a, inside = _huber_parts(y_pred, y_true.astype(np.float64), d)
        K = r.size
        g = np.where(inside, r, d * np.sign(r))  # gradient of the sum
        cmp = close(rtol=1e-9, atol=1e-14)
        bugs = known_bugs(expected, passes(cmp), **{
            "it is the gradient of the sum: divide by the number of elements": g,
            "the sign is flipped (y_true - y_pred)": -g / K,
            "it is divided by the number of rows, not of elements": g / len(r) if r.ndim > 1 else None,
            "it is the MSE's residual everywhere (not clipped at delta)": r / K,
            "it is delta * sign(r) everywhere (the quadratic zone is missing)": d * np.sign(r) / K,
            "it is divided by delta (the gradient of smooth_l1_loss with beta = delta)": g / (d * K),
            "the clip ignores delta (clipped to [-1, 1])": np.clip(r, -1.0, 1.0) / K,
            "the factor 2 of the squared error is kept (2 r inside delta)": np.where(inside, 2 * r, d * np.sign(r)) / K,
        })
        if positional:
            args, kwargs = (y_pred, y_true, d), {}
        else:
            args, kwargs = (y_pred, y_true), ({} if delta is None else {"delta": delta})
        return Case("huber_grad", label, args, expected, cmp, kwargs=kwargs, bugs=bugs, **kw)

    if not hidden:
        return [case("r = [0.5, -2, 3], delta = 1 (default): [0.5, -1, 1] / 3", [1.5, -2.0, 3.0], [1.0, 0.0, 0.0]),
                case("(4, 3) arrays with delta = 2.5: same shape as y_pred, divided by 12",
                     *_huber_data(rng, (4, 3)), delta=2.5),
                case("delta = 0.5 given as the third positional argument", *_huber_data(rng, 8), delta=0.5,
                     positional=True),
                case("residuals up to 1e4: the gradient is capped at delta / K", np.array([1e4, -3e3, 0.2, -0.1]),
                     np.zeros(4), delta=1.5, no_warnings=True)]
    n, m = int(rng.integers(5, 30)), int(rng.integers(2, 6))
    d1, d2 = float(rng.uniform(0.3, 3.0)), float(rng.uniform(0.3, 3.0))
    return [case("random 1-d arrays, default delta", *_huber_data(rng, n)),
            case("random (N, M) arrays, random delta", *_huber_data(rng, (n, m)), delta=d1, weight=2),
            case("random (2, N, M) arrays, random delta (positional)", *_huber_data(rng, (2, n, m)), delta=d2,
                 positional=True),
            case("integer targets, random delta", rng.normal(scale=4, size=n), rng.integers(-3, 4, size=n),
                 delta=d1),
            case("outliers of size 1e3 among small residuals", *_with_outliers(rng, n), delta=d2, no_warnings=True)]


def _with_outliers(rng, n):
    y_pred, y_true = _huber_data(rng, n, scale=0.5)
    y_pred[rng.choice(n, size=max(1, n // 4), replace=False)] += rng.choice([-1e3, 1e3], size=max(1, n // 4))
    return y_pred, y_true


# ---------------------------------------------------------------- train_logistic_fixed (debugging task)
PLANTED = {  # the starter's planted bugs, by number, as the feedback names them
    1: "the batch gradient is a sum, not a mean (it is not divided by the batch size)",
    2: "the permutation is drawn once, before the epoch loop, so every epoch visits the same batches",
    3: "w is updated in place, which changes the caller's w0",
    4: "the loss takes the log of sigmoid(z), which rounds to exactly 0 or 1 for confident predictions",
}
VALUE_BUGS = (1, 2, 4)  # bug 3 leaves the returned value right: the in-place check names it


def train_logistic_reference(X, y, w0, b0, lr, batch_size, epochs, rng, bugs=frozenset()):
    """Mini-batch SGD on the mean binary cross-entropy, written independently of the
    notebook; ``bugs`` switches on planted bugs (numbers of :data:`PLANTED`)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    N = len(y)
    w, b = np.array(w0, dtype=np.float64), float(b0)
    losses = []
    once = rng.permutation(N) if 2 in bugs else None
    with np.errstate(all="ignore"):  # bug 4 takes log(0)
        for _ in range(epochs):
            order = once if once is not None else rng.permutation(N)
            for k in range(0, N, batch_size):
                idx = order[k:k + batch_size]
                z = X[idx] @ w + b
                err = 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700))) - y[idx]   # p - y on the batch
                scale = 1.0 if 1 in bugs else 1.0 / len(idx)
                w = w - lr * scale * (err @ X[idx])
                b = b - lr * scale * float(err.sum())
            z = X @ w + b
            if 4 in bugs:
                p = 0.5 * (1.0 + np.tanh(0.5 * z))
                losses.append(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))))
            else:
                losses.append(float(np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z))))))
    return w, b, np.array(losses)


def _bug_subsets():
    from itertools import combinations
    for k in range(1, len(VALUE_BUGS) + 1):
        yield from combinations(VALUE_BUGS, k)


def _bug_name(subset):
    parts = [f"planted bug {i} ({PLANTED[i]})" for i in subset]
    return " and ".join(parts) + (" is" if len(parts) == 1 else " are") + " still there"


@task("train_logistic_fixed")
def train_logistic_cases(rng, hidden):
    def case(label, X, y, w0, b0, lr, batch_size, epochs, **kw):
        gen = Rng(int(rng.integers(2**31)))
        args = (X, y, w0, b0, lr, batch_size, epochs, gen)
        expected = train_logistic_reference(*args[:7], gen.python)
        cmp = hinting(sequence(close(rtol=1e-8, atol=1e-10), scalar(rtol=1e-8, atol=1e-10),
                               close(rtol=1e-8, atol=1e-9), names=("w", "b", "losses")),
                      "not stable: take the loss from z, softplus(z) - y * z, never log(sigmoid(z))")
        bugs = known_bugs(expected, passes(cmp), **{
            _bug_name(s): train_logistic_reference(*args[:7], gen.python, bugs=frozenset(s))
            for s in _bug_subsets()})
        return Case("train_logistic_fixed", label, args, expected, cmp, bugs=bugs, **kw)

    def blobs(n, d, sep=2.0, scale=1.0):
        y = (np.arange(n) % 2).astype(np.float64)
        rng.shuffle(y)
        centre = rng.normal(size=d)
        centre *= sep / np.linalg.norm(centre)
        X = rng.normal(size=(n, d)) + np.where(y[:, None] == 1, centre, -centre)
        return X * scale, y

    if not hidden:
        X, y = blobs(40, 2)
        X2, y2 = blobs(30, 3, sep=1.0)
        X3, y3 = blobs(24, 2, sep=3.0, scale=20.0)
        return [case("40 samples, batches of 8, 3 epochs from w0 = 0", X, y, np.zeros(2), 0.0, 0.5, 8, 3),
                case("30 samples, batches of 7 (the last one smaller), 4 epochs from a random w0",
                     X2, y2, rng.normal(size=3), 0.5, 0.3, 7, 4),
                case("features of size 60: confident predictions, no nan, inf or warning",
                     X3, y3, np.zeros(2), 0.0, 0.1, 6, 3, no_warnings=True)]
    n, d = int(rng.integers(20, 60)), int(rng.integers(2, 5))
    bs = int(rng.integers(3, 10))
    Xa, ya = blobs(n, d, sep=float(rng.uniform(0.5, 2.0)))
    Xb, yb = blobs(int(rng.integers(20, 40)), d, sep=float(rng.uniform(0.5, 2.0)))
    Xc, yc = blobs(int(rng.integers(16, 30)), 2, sep=3.0, scale=float(rng.uniform(15, 40)))
    return [case("random data, batch size and learning rate", Xa, ya, rng.normal(size=d), float(rng.normal()),
                 float(rng.uniform(0.05, 0.5)), bs, int(rng.integers(2, 5)), weight=2),
            case("random data with integer labels", Xb, yb.astype(np.int64), np.zeros(d), 0.0,
                 float(rng.uniform(0.05, 0.5)), int(rng.integers(3, 8)), int(rng.integers(2, 4))),
            case("large features: confident predictions, no nan, inf or warning", Xc, yc, np.zeros(2), 0.0,
                 float(rng.uniform(0.05, 0.3)), int(rng.integers(4, 8)), 3, no_warnings=True)]
