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

from nncourse.grading.checks import Assignment, Case, Fn, Rng, close, exact, scalar, sequence
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
        if not isinstance(got, list):
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
        if not isinstance(got, list):
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
