"""Checks of ``ch04_backprop``: what each graded function must do, and how it is tested.

Oracles run in the grader, never in the student's process: torch autograd
for every gradient (``Tensor.backward`` on the same computation), and plain
NumPy or Python reimplementations, with switches, for the values that known
bugs produce, so that feedback can name them.

``Value`` is a class, so it is driven by a *program* (probe
``value_ops`` of ``probes.py``): a list of scalar operations that the probe
builds with the student's class before calling ``backward()`` on the last
node. It reports every node's ``data`` and ``grad`` and the grads before
``backward()``. Values are judged as values: ``Value(3).data`` may stay the
int 3. The same program runs here with torch float64 tensors. Programs are
chosen to expose the classic mistakes: nodes used several times (``=``
instead of ``+=``), a node reaching the output along paths of different
lengths (no topological order), relu at exactly 0, powers with negative and
fractional exponents, division by a Value, plain numbers on the left
(``__radd__`` and friends, Python's ``sum``), sigmoid, and random graphs.
Every program also uses an operation beyond the chapter's small engine
(``+``, ``*``, ``tanh``, ``backward``): the exercise asks for all of them.
"""

import math
from collections import deque

import numpy as np
import torch
import torch.nn.functional as F

from nncourse.grading.checks import (Assignment, Case, all_close, close, describe, known_bugs, probe_module,
                                     scalar, sequence)

ASSIGNMENT = Assignment("ch04_backprop", prelude="import math\nimport numpy as np", forbid=("torch",),
                        probes="probes.py")
task = ASSIGNMENT.task
describe_value_instruction = probe_module(__file__).describe_instruction   # as the probe runs it


def _t(x, grad=False):
    return torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=grad)


def _try(f):
    """The value a bug would produce, or None when it cannot (e.g. shapes do not match)."""
    try:
        with np.errstate(all="ignore"):
            return f()
    except (ValueError, IndexError):
        return None


_same = all_close()   # a bug's value equal to the right answer names no bug


# ---------------------------------------------------------------- dense_backward
def _torch_dense_backward(dout, X, W):
    Xt, Wt, bt = _t(X, True), _t(W, True), _t(np.zeros(W.shape[1]), True)
    (Xt @ Wt + bt).backward(_t(dout))
    return Xt.grad.numpy(), Wt.grad.numpy(), bt.grad.numpy()


@task("dense_backward")
def dense_backward_cases(rng, hidden):
    tol = close(rtol=1e-7, atol=1e-10)
    compare = sequence(tol, tol, tol, names=("dX", "dW", "db"))

    def case(label, dout, X, W, **kw):
        dX, dW, db = exp = _torch_dense_backward(dout, X, W)
        bugs = known_bugs(exp, _same, **{
            "db is the mean over the batch instead of the sum": (dX, dW, dout.mean(axis=0)),
            "dW and db are averaged over the batch (divided by N)": (dX, dW / len(X), db / len(X)),
            "dX is dout @ W instead of dout @ W.T": _try(lambda: (dout @ W, dW, db)),
            "dW is X @ dout instead of X.T @ dout": _try(lambda: (dX, X @ dout, db)),
            "dW is transposed (dout.T @ X instead of X.T @ dout)": _try(lambda: (dX, dout.T @ X, db)),
        })
        return Case("dense_backward", label, (dout, X, W), exp, compare, bugs=bugs, **kw)

    def rand(N, D, M, scale=1.0):
        return (rng.normal(scale=scale, size=(N, M)), rng.normal(scale=scale, size=(N, D)),
                rng.normal(scale=scale, size=(D, M)))

    if not hidden:
        X = np.array([[1.0, 2.0, 0.0], [-1.0, 0.0, 3.0]])             # (N=2, D=3)
        W = np.array([[1.0, -1.0], [0.0, 2.0], [0.5, 1.0]])            # (D=3, M=2)
        dout = np.array([[1.0, 0.0], [2.0, -1.0]])                     # (N=2, M=2)
        return [case("small integers: X (2, 3), W (3, 2), dout (2, 2)", dout, X, W),
                case("random X (5, 3), W (3, 4), dout (5, 4)", *rand(5, 3, 4)),
                case("square shapes N = D = M = 3 (a transpose mistake keeps the shapes)", *rand(3, 3, 3))]
    return [case("random shapes", *rand(int(rng.integers(6, 20)), int(rng.integers(2, 9)),
                                        int(rng.integers(2, 9)))),
            case("a single sample (N = 1)", *rand(1, int(rng.integers(2, 6)), int(rng.integers(2, 6)))),
            case("random square shapes N = D = M", *rand(*[int(rng.integers(3, 8))] * 3), weight=2),
            case("large values (|x| about 1e3)", *rand(7, 4, 5, scale=1e3))]


# ---------------------------------------------------------------- relu_backward
def _torch_relu_backward(dout, Z):
    Zt = _t(Z, True)
    torch.relu(Zt).backward(_t(dout))
    return Zt.grad.numpy()


@task("relu_backward")
def relu_backward_cases(rng, hidden):
    def case(label, dout, Z, **kw):
        dout, Z = np.asarray(dout, dtype=np.float64), np.asarray(Z, dtype=np.float64)
        exp = _torch_relu_backward(dout, Z)
        bugs = known_bugs(exp, _same, **{
            "the gradient passes where Z == 0 (use Z > 0, not Z >= 0: the gradient is 0 at the kink)":
                dout * (Z >= 0),
            "the mask is reversed (Z < 0 instead of Z > 0)": dout * (Z < 0),
            "the mask is reversed and passes at 0 (Z <= 0)": dout * (Z <= 0),
            "the mask is returned without multiplying by dout": (Z > 0).astype(np.float64),
            "the mask is taken from dout instead of Z": dout * (dout > 0),
        })
        return Case("relu_backward", label, (dout, Z), exp, close(rtol=1e-12, atol=0.0), bugs=bugs, **kw)

    def with_zeros(shape, p=0.3):
        Z = rng.normal(size=shape)
        return np.where(rng.random(shape) < p, 0.0, Z)

    if not hidden:
        Z = [[-2.0, -0.5, 0.0, 0.5, 2.0], [0.0, 1.0, -1.0, 0.0, 3.0]]
        dout = [[1.0, 2.0, 3.0, 4.0, 5.0], [-1.0, -2.0, -3.0, -4.0, -5.0]]
        return [case("values around zero, with exact zeros in Z", dout, Z),
                case("random (4, 6) arrays, about a third of Z exactly 0", rng.normal(size=(4, 6)),
                     with_zeros((4, 6)))]
    N, M = int(rng.integers(5, 20)), int(rng.integers(3, 12))
    Zneg = with_zeros((N, M))
    Zneg[rng.random((N, M)) < 0.2] = -0.0
    return [case("random (N, M) arrays with exact zeros in Z", rng.normal(size=(N, M)), with_zeros((N, M)),
                 weight=2),
            case("Z with exact zeros and negative zeros (-0.0)", rng.normal(size=(N, M)), Zneg),
            case("dout of mixed signs where Z > 0 everywhere but for the zeros",
                 rng.normal(size=(6, 5)), np.where(rng.random((6, 5)) < 0.3, 0.0, rng.uniform(0.1, 2, (6, 5)))),
            case("a 3-d array (any shape: elementwise)", rng.normal(size=(2, 3, 4)), with_zeros((2, 3, 4)))]


# ---------------------------------------------------------------- softmax_cross_entropy_backward
def _torch_ce_backward(logits, labels):
    Zt = _t(logits, True)
    F.cross_entropy(Zt, torch.from_numpy(labels)).backward()
    return Zt.grad.numpy()


def _softmax(Z, axis=1, shift=True):
    E = np.exp(Z - Z.max(axis=axis, keepdims=True) if shift else Z)
    return E / E.sum(axis=axis, keepdims=True)


@task("softmax_cross_entropy_backward")
def softmax_ce_backward_cases(rng, hidden):
    def case(label, logits, labels, **kw):
        logits = np.asarray(logits, dtype=np.float64)
        labels = np.asarray(labels, dtype=np.int64)
        N = len(labels)
        exp = _torch_ce_backward(logits, labels)
        onehot = np.eye(logits.shape[1])[labels]

        def every_row_every_label():
            P = _softmax(logits)
            P[:, labels] -= 1.0
            return P / N

        bugs = known_bugs(exp, _same, **{
            "the gradient is not divided by N (it is the gradient of the summed loss, not of the mean)":
                exp * N,
            "the row maximum is not subtracted before exp (exp overflows)":
                _try(lambda: (_softmax(logits, shift=False) - onehot) / N),
            "the sign is flipped (onehot - softmax instead of softmax - onehot)": -exp,
            "1 is subtracted at P[:, labels] (every row, every label), not at P[np.arange(N), labels]":
                every_row_every_label(),
            "the softmax is taken along axis 0 (over the batch) instead of along each row":
                (_softmax(logits, axis=0) - onehot) / N,
            "the one-hot target is not subtracted": _softmax(logits) / N,
        })
        return Case("softmax_cross_entropy_backward", label, (logits, labels), exp,
                    close(rtol=1e-7, atol=1e-12), bugs=bugs, **kw)

    if not hidden:
        return [case("2 samples, 3 classes", [[1.0, 2.0, 3.0], [1.0, 0.0, -1.0]], [2, 0]),
                case("random (5, 4) logits", rng.normal(size=(5, 4)), rng.integers(0, 4, size=5)),
                case("stable for logits up to 1e4: no nan, inf or warning",
                     [[1e4, 0.0, -1e4], [-1e4, -9990.0, 5.0], [800.0, 800.0, -800.0]], [1, 0, 2],
                     no_warnings=True)]
    N, C = int(rng.integers(6, 30)), int(rng.integers(2, 12))
    return [case("random logits, several classes", rng.normal(scale=3, size=(N, C)), rng.integers(0, C, size=N),
                 weight=2),
            case("random large logits (|z| up to 1e4): no nan, inf or warning",
                 rng.uniform(-1e4, 1e4, size=(N, C)), rng.integers(0, C, size=N), no_warnings=True, weight=2),
            case("a single sample (N = 1)", rng.normal(size=(1, C)), rng.integers(0, C, size=1)),
            case("two classes, every sample with the same label", rng.normal(size=(8, 2)), np.ones(8, np.int64))]


# ---------------------------------------------------------------- mlp_loss_and_grads
def _torch_mlp(X, y, params, relu_last=False):
    Wbs = [(_t(W, True), _t(b, True)) for W, b in params]
    A = _t(X)
    for i, (W, b) in enumerate(Wbs):
        A = A @ W + b
        if i < len(Wbs) - 1 or relu_last:
            A = torch.relu(A)
    loss = F.cross_entropy(A, torch.from_numpy(np.asarray(y, dtype=np.int64)))
    loss.backward()
    return loss.item(), [(W.grad.numpy(), b.grad.numpy()) for W, b in Wbs]


def _numpy_mlp(X, y, params, mask=True, mask_at_0=False):
    """An independent NumPy backward pass (one-hot targets, logaddexp), with switches:
    ``mask=False`` lets the gradient through every ReLU as if it were the identity,
    ``mask_at_0=True`` lets it through where a pre-activation is exactly 0."""
    acts, pres = [X], []
    for i, (W, b) in enumerate(params):
        pres.append(np.einsum("nd,dm->nm", acts[-1], W) + b)
        acts.append(np.maximum(pres[-1], 0.0) if i < len(params) - 1 else pres[-1])
    logits = acts[-1]
    N, C = logits.shape
    T = np.zeros((N, C))
    T[np.arange(N), y] = 1.0
    lse = np.logaddexp.reduce(logits, axis=1)
    loss = float(np.mean(lse - (logits * T).sum(axis=1)))
    G = (np.exp(logits - lse[:, None]) - T) / N
    grads = []
    for i in range(len(params) - 1, -1, -1):
        grads.append((np.einsum("nd,nm->dm", acts[i], G), G.sum(axis=0)))
        G = np.einsum("nm,dm->nd", G, params[i][0])
        if mask and i > 0:
            G = G * (pres[i - 1] >= 0 if mask_at_0 else pres[i - 1] > 0)
    return loss, grads[::-1]


def loss_and_grads(rtol=1e-7, atol=1e-10):
    """``(loss, grads)``: a float, and one pair ``(dW, db)`` per layer, in the order of ``params``."""
    loss_ok, arr_ok = scalar(rtol, atol), close(rtol, atol)

    def compare(got, expected):
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return f"expected a tuple (loss, grads), got {describe(got)}"
        problem = loss_ok(got[0], expected[0])
        if problem is not None:
            return f"loss: {problem}"
        grads, want = got[1], expected[1]
        L = len(want)
        if not isinstance(grads, (tuple, list)) or len(grads) != L:
            n = f"{len(grads)} items" if isinstance(grads, (tuple, list)) else describe(grads)
            return f"grads: expected a list of {L} pairs (dW, db), one per layer, got {n}"
        wrong = []
        for i, (g, e) in enumerate(zip(grads, want)):
            if not isinstance(g, (tuple, list)) or len(g) != 2:
                return f"grads[{i}]: expected a pair (dW, db), got {describe(g)}"
            for name, gg, ee in zip(("dW", "db"), g, e):
                problem = arr_ok(gg, ee)
                if problem is not None:
                    wrong.append((i, name, problem))
        if not wrong:
            return None
        i, name, problem = wrong[0]
        bad = sorted({j + 1 for j, _, _ in wrong})
        right = [j for j in range(1, L + 1) if j not in bad]
        where = (f"wrong in layer{'s' if len(bad) > 1 else ''} {', '.join(map(str, bad))} of {L}"
                 + (f", right in layer{'s' if len(right) > 1 else ''} {', '.join(map(str, right))}" if right else ""))
        return f"grads[{i}] {name} (layer {i + 1}): {problem}; {where}"

    return compare


def _mlp_params(rng, sizes, zero_bias=False):
    return [(rng.normal(scale=1.5 / math.sqrt(d), size=(d, m)),
             np.zeros(m) if zero_bias else rng.normal(scale=0.3, size=m))
            for d, m in zip(sizes[:-1], sizes[1:])]


@task("mlp_loss_and_grads")
def mlp_loss_and_grads_cases(rng, hidden):
    def case(label, X, y, params, **kw):
        y = np.asarray(y, dtype=np.int64)
        exp = _torch_mlp(X, y, params)
        loss, grads = exp
        N, L = len(X), len(params)
        same = lambda a, b: (abs(a[0] - b[0]) <= 1e-9 * abs(b[0])  # noqa: E731
                             and all(_same(g, h) for g, h in zip(a[1], b[1])))
        bugs = known_bugs(exp, same, **{
            "the gradients are not divided by N (gradients of the summed loss, not of the mean)":
                (loss, [(dW * N, db * N) for dW, db in grads]),
            "the loss is summed over the batch instead of averaged": (loss * N, grads),
            "a ReLU is also applied after the last layer (the logits must be left as they are)":
                _torch_mlp(X, y, params, relu_last=True),
            "the backward pass skips the ReLUs (no mask where Z <= 0)": _numpy_mlp(X, y, params, mask=False),
            "the ReLU mask lets the gradient through where Z == 0 (use Z > 0, not Z >= 0)":
                _numpy_mlp(X, y, params, mask_at_0=True),
            "the grads are in reverse order (last layer first): grads[i] must belong to params[i]":
                (loss, grads[::-1]) if L > 1 else None,
        })
        return Case("mlp_loss_and_grads", label, (X, y, params), exp, loss_and_grads(), bugs=bugs, **kw)

    def data(N, sizes, **kw):
        return rng.normal(size=(N, sizes[0])), rng.integers(0, sizes[-1], size=N), _mlp_params(rng, sizes, **kw)

    if not hidden:
        return [case("one hidden layer: sizes [3, 4, 2], N = 5", *data(5, [3, 4, 2])),
                case("no hidden layer (softmax regression): sizes [4, 3], N = 6", *data(6, [4, 3])),
                case("two hidden layers: sizes [5, 6, 4, 3], N = 8", *data(8, [5, 6, 4, 3]))]
    D, C = int(rng.integers(2, 8)), int(rng.integers(2, 6))
    H = [int(rng.integers(3, 10)) for _ in range(3)]
    Xz, yz, pz = data(7, [D, H[0], H[1], C], zero_bias=True)
    Xz[[1, 4]] = 0.0   # these rows' pre-activations are exactly 0 in every layer
    yz[4] = yz[1]      # (with different labels, their contributions to db could cancel)
    return [case("random one-hidden-layer MLP", *data(int(rng.integers(5, 30)), [D, H[0], C])),
            case("random MLP with three hidden layers", *data(int(rng.integers(5, 30)), [D, *H, C]), weight=2),
            case("random MLP without hidden layer", *data(int(rng.integers(5, 30)), [D, C])),
            case("a single sample, two hidden layers", *data(1, [D, H[1], H[2], C])),
            case("all-zero input rows and zero biases: pre-activations exactly 0 (ReLU gradient 0)", Xz, yz, pz)]


# ---------------------------------------------------------------- log_softmax_backward
def _torch_log_softmax_backward(dout, Z):
    Zt = _t(Z, True)
    torch.log_softmax(Zt, dim=-1).backward(_t(dout))
    return Zt.grad.numpy()


@task("log_softmax_backward")
def log_softmax_backward_cases(rng, hidden):
    def case(label, dout, Z, **kw):
        dout, Z = np.asarray(dout, dtype=np.float64), np.asarray(Z, dtype=np.float64)
        exp = _torch_log_softmax_backward(dout, Z)
        P = _softmax(Z, axis=-1)
        S = dout.sum(axis=-1, keepdims=True)
        bugs = known_bugs(exp, _same, **{
            "softmax(Z) multiplies dout entry by entry, not the sum of each row of dout "
            "(dout - softmax(Z) * dout.sum(axis=-1, keepdims=True))": dout - P * dout,
            "dout is summed over every entry (dout.sum()) instead of along the last axis": dout - P * dout.sum(),
            "dout.sum(axis=-1) lacks keepdims=True, so it broadcasts along the wrong axis":
                _try(lambda: dout - P * dout.sum(axis=-1)),
            "the softmax is taken along the first axis instead of the last": _softmax(Z, axis=0) * -S + dout,
            "the sign is flipped (softmax(Z) * sum - dout)": -exp,
            "dout itself is missing (only -softmax(Z) * dout.sum(...) is returned)": -P * S,
            "the maximum is not subtracted before exp (exp overflows)":
                _try(lambda: dout - _softmax(Z, axis=-1, shift=False) * S),
        })
        return Case("log_softmax_backward", label, (dout, Z), exp, close(rtol=1e-7, atol=1e-12), bugs=bugs,
                    **kw)

    def nll_dout(N, C):
        """The gradient of the mean negative log-likelihood with respect to log-probabilities."""
        d = np.zeros((N, C))
        d[np.arange(N), rng.integers(0, C, size=N)] = -1.0 / N
        return d

    if not hidden:
        return [case("2 rows, 3 classes", [[1.0, 0.0, -2.0], [0.5, 0.5, 1.0]], [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),
                case("dout of the mean negative log-likelihood (-onehot / N): gives (softmax - onehot) / N",
                     nll_dout(5, 4), rng.normal(size=(5, 4))),
                case("leading axes: Z and dout (2, 3, 4), along the last axis", rng.normal(size=(2, 3, 4)),
                     rng.normal(size=(2, 3, 4))),
                case("stable for Z up to 1e4: no nan, inf or warning", rng.normal(size=(3, 3)),
                     [[1e4, 0.0, -1e4], [-1e4, -9990.0, 5.0], [800.0, 800.0, -800.0]], no_warnings=True)]
    N, C = int(rng.integers(6, 20)), int(rng.integers(2, 9))
    K = int(rng.integers(3, 7))
    return [case("random (N, C) arrays", rng.normal(size=(N, C)), rng.normal(scale=2, size=(N, C)), weight=2),
            case("square (C, C) arrays (a broadcast along the wrong axis keeps the shape)",
                 rng.normal(size=(K, K)), rng.normal(size=(K, K))),
            case("a single vector (C,): no leading axis", rng.normal(size=C), rng.normal(size=C)),
            case("four axes (2, 3, 2, C)", rng.normal(size=(2, 3, 2, C)), rng.normal(size=(2, 3, 2, C))),
            case("dout of the mean negative log-likelihood", nll_dout(N, C), rng.normal(scale=3, size=(N, C))),
            case("random large Z (|z| up to 1e4): no nan, inf or warning", rng.normal(size=(N, C)),
                 rng.uniform(-1e4, 1e4, size=(N, C)), no_warnings=True, weight=2)]


# ---------------------------------------------------------------- two_layer_backprop (debugging)
TWO_LAYER_BUGS = {
    "axis0": "bug (the softmax is normalised along axis 0, over the batch, instead of along each row)",
    "no_mean": "bug (the gradient of the logits is not divided by N: that is the summed loss's gradient)",
    "mask_ge": "bug (the ReLU mask is Z1 >= 0: it lets the gradient through where Z1 == 0)",
    "dW2_from_Z1": "bug (dW2 is computed from the pre-activation Z1 instead of the ReLU output A1)",
}


def two_layer_reference(X, y, W1, b1, W2, b2, axis0=False, no_mean=False, mask_ge=False, dW2_from_Z1=False):
    """A plain NumPy two-layer backward pass with a switch per planted bug (for feedback);
    the expected values come from torch."""
    N = len(X)
    Z1 = X @ W1 + b1                                          # (N, H)
    A1 = np.maximum(Z1, 0.0)                                  # (N, H)
    logits = A1 @ W2 + b2                                     # (N, C)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0 if axis0 else 1, keepdims=True))
    loss = float(-log_probs[np.arange(N), y].mean())
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), y] -= 1.0
    if not no_mean:
        dlogits = dlogits / N
    dW2 = (Z1 if dW2_from_Z1 else A1).T @ dlogits            # (H, C)
    db2 = dlogits.sum(axis=0)                                 # (C,)
    dA1 = dlogits @ W2.T                                      # (N, H)
    dZ1 = dA1 * ((Z1 >= 0) if mask_ge else (Z1 > 0))
    dW1 = X.T @ dZ1                                           # (D, H)
    db1 = dZ1.sum(axis=0)                                     # (H,)
    return loss, dW1, db1, dW2, db2


def _torch_two_layer(X, y, W1, b1, W2, b2):
    ts = [_t(a, True) for a in (W1, b1, W2, b2)]
    logits = torch.relu(_t(X) @ ts[0] + ts[1]) @ ts[2] + ts[3]
    loss = F.cross_entropy(logits, torch.from_numpy(np.asarray(y, dtype=np.int64)))
    loss.backward()
    return (loss.item(), *(t.grad.numpy() for t in ts))


def _bug_subsets():
    """Every non-empty subset of the planted bugs, as (feedback name, switches)."""
    keys = list(TWO_LAYER_BUGS)
    out = []
    for mask in range(1, 2 ** len(keys)):
        chosen = [k for i, k in enumerate(keys) if mask >> i & 1]
        names = [f"{TWO_LAYER_BUGS[k].replace('bug', f'bug {keys.index(k) + 1}', 1)}" for k in chosen]
        if len(names) == 1:
            name = f"{names[0]} is still there"
        else:
            name = f"{', '.join(names[:-1])} and {names[-1]} are still there"
        out.append((name, {k: True for k in chosen}))
    return out


@task("two_layer_backprop")
def two_layer_backprop_cases(rng, hidden):
    tol = close(rtol=1e-7, atol=1e-10)
    compare = sequence(scalar(1e-7, 1e-10), tol, tol, tol, tol, names=("loss", "dW1", "db1", "dW2", "db2"))
    same = lambda a, b: (abs(a[0] - b[0]) <= 1e-9 * abs(b[0])  # noqa: E731
                         and all(_same(g, h) for g, h in zip(a[1:], b[1:])))

    def case(label, N, D, H, C, **kw):
        """Random data in which some pre-activations are exactly 0: a zero input row meets zero biases."""
        X = rng.normal(size=(N, D))
        X[int(rng.integers(N))] = 0.0
        W1 = rng.normal(scale=1.2 / math.sqrt(D), size=(D, H))
        b1 = rng.normal(scale=0.3, size=H)
        b1[rng.permutation(H)[:max(1, H // 3)]] = 0.0
        W2 = rng.normal(scale=1.2 / math.sqrt(H), size=(H, C))
        b2 = rng.normal(scale=0.3, size=C)
        y = rng.integers(0, C, size=N)
        args = (X, y, W1, b1, W2, b2)
        exp = _torch_two_layer(*args)
        bugs = known_bugs(exp, same, **{name: two_layer_reference(*args, **sw) for name, sw in _bug_subsets()})
        return Case("two_layer_backprop", label, args, exp, compare, bugs=bugs, **kw)

    if not hidden:
        return [case("N = 4 samples, D = 3 inputs, H = 5 hidden units, C = 3 classes", 4, 3, 5, 3),
                case("N = 8, D = 6, H = 10, C = 4", 8, 6, 10, 4),
                case("N = 6, D = 2, H = 7, C = 2", 6, 2, 7, 2)]
    return [case("random sizes", int(rng.integers(5, 25)), int(rng.integers(2, 8)), int(rng.integers(3, 12)),
                 int(rng.integers(2, 7)), weight=2),
            case("more classes than hidden units", int(rng.integers(5, 15)), 4, 3, int(rng.integers(5, 9))),
            case("N = 2 samples", 2, int(rng.integers(2, 6)), int(rng.integers(3, 8)), 3),
            case("a larger batch (N = 64)", 64, 8, 16, 5)]


# ---------------------------------------------------------------- Value
_BINARY = {"add": ("+", lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
           "sub": ("-", lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
           "mul": ("*", lambda a, b: a * b, lambda a, b: (b, a)),
           "div": ("/", lambda a, b: a / b, lambda a, b: (1.0 / b, -a / b ** 2))}
_UNARY = {"neg": lambda a: -a, "tanh": math.tanh, "relu": lambda a: max(a, 0.0), "exp": math.exp,
          "log": math.log, "sigmoid": lambda a: 1.0 / (1.0 + math.exp(-a))}
RULES = {"add": "d(a + b)/da = d(a + b)/db = 1", "sub": "d(a - b)/da = 1 and d(a - b)/db = -1",
         "mul": "d(a * b)/da = b and d(a * b)/db = a", "div": "d(a / b)/da = 1/b and d(a / b)/db = -a/b**2",
         "neg": "d(-a)/da = -1", "pow": "d(a**k)/da = k * a**(k - 1)",
         "tanh": "d tanh(a)/da = 1 - tanh(a)**2", "relu": "d relu(a)/da = 1 where a > 0, else 0 (also at a = 0)",
         "exp": "d exp(a)/da = exp(a)", "log": "d log(a)/da = 1/a",
         "sigmoid": "d sigmoid(a)/da = s * (1 - s) with s = sigmoid(a)", "sum": "each term gets the grad of the sum"}


def _node_operands(ins):
    """The node indices an instruction reads, once per use."""
    op = ins[0]
    if op == "leaf":
        return []
    if op == "sum":
        return list(ins[1])
    if op in _BINARY:
        return [x for x in ins[1:] if type(x) is int]
    return [ins[1]]


def _num(x):
    return f"{x:g}" if isinstance(x, float) else str(x)


def describe(k, ins, show=True):
    """``v3 = 2 * v1`` (``show``: with the numbers; else ``c`` for each plain number)."""
    return describe_value_instruction(k, ins, _num if show else None)


class Program:
    """Records a Value program (see ``run_value_ops`` in ``probes.py``) while computing its values
    with Python floats. ``Sym`` gives it Python's operators, so programs read like Value code."""

    def __init__(self):
        self.ins, self.vals = [], []

    def __len__(self):
        return len(self.ins)

    def value(self, ins):
        op, v = ins[0], self.vals
        arg = lambda x: v[x] if type(x) is int else float(x[1])  # noqa: E731
        if op == "leaf":
            return float(ins[1])
        if op in _BINARY:
            return _BINARY[op][1](arg(ins[1]), arg(ins[2]))
        if op == "pow":
            return v[ins[1]] ** ins[2]
        if op == "sum":
            return math.fsum(v[i] for i in ins[1])
        return _UNARY[op](v[ins[1]])

    def add(self, *ins):
        self.vals.append(self.value(ins))
        self.ins.append(tuple(ins))
        return Sym(self, len(self.ins) - 1)

    def leaf(self, x):
        return self.add("leaf", x)

    def sum(self, syms):
        return self.add("sum", tuple(s.i for s in syms))


class Sym:
    def __init__(self, prog, i):
        self.p, self.i = prog, i

    def _ref(self, x):
        return x.i if isinstance(x, Sym) else ("num", x)

    def __add__(self, o): return self.p.add("add", self.i, self._ref(o))
    def __radd__(self, o): return self.p.add("add", self._ref(o), self.i)
    def __sub__(self, o): return self.p.add("sub", self.i, self._ref(o))
    def __rsub__(self, o): return self.p.add("sub", self._ref(o), self.i)
    def __mul__(self, o): return self.p.add("mul", self.i, self._ref(o))
    def __rmul__(self, o): return self.p.add("mul", self._ref(o), self.i)
    def __truediv__(self, o): return self.p.add("div", self.i, self._ref(o))
    def __rtruediv__(self, o): return self.p.add("div", self._ref(o), self.i)
    def __neg__(self): return self.p.add("neg", self.i)
    def __pow__(self, k): return self.p.add("pow", self.i, k)
    def tanh(self): return self.p.add("tanh", self.i)
    def relu(self): return self.p.add("relu", self.i)
    def exp(self): return self.p.add("exp", self.i)
    def log(self): return self.p.add("log", self.i)
    def sigmoid(self): return self.p.add("sigmoid", self.i)


def torch_value_program(program):
    """The oracle: the program with torch float64 scalars, every node's grad retained."""
    nodes = []
    arg = lambda x: nodes[x] if type(x) is int else x[1]  # noqa: E731
    for ins in program:
        op = ins[0]
        if op == "leaf":
            t = torch.tensor(float(ins[1]), dtype=torch.float64, requires_grad=True)
        elif op in _BINARY:
            t = _BINARY[op][1](arg(ins[1]), arg(ins[2]))
        elif op == "neg":
            t = -nodes[ins[1]]
        elif op == "pow":
            t = nodes[ins[1]] ** ins[2]
        elif op == "sum":
            t = sum(nodes[i] for i in ins[1])
        else:
            t = getattr(torch, op)(nodes[ins[1]])
        if not t.is_leaf:
            t.retain_grad()
        nodes.append(t)
    nodes[-1].backward()
    n = len(nodes)
    return (np.array([t.item() for t in nodes]),
            np.array([0.0 if t.grad is None else t.grad.item() for t in nodes]),
            np.zeros(n))


def simulate_value_program(program, order="reverse", assign=False, tanh_1mt=False, relu_at_0=False,
                           pow_no_k=False, log_no_chain=False, sigmoid_of_input=False):
    """A plain-Python engine, one node per instruction, whose switches give the values that the
    classic bugs produce (for the feedback only; the expected values come from torch)."""
    p = Program()
    for ins in program:
        p.add(*ins)
    v, n = p.vals, len(p.vals)
    g = [0.0] * n
    g[-1] = 1.0

    def local(k):  # [(node, d node_k / d node)]
        ins = p.ins[k]
        op = ins[0]
        if op == "leaf":
            return []
        if op in _BINARY:
            a, b = (v[x] if type(x) is int else float(x[1]) for x in ins[1:])
            return [(x, d) for x, d in zip(ins[1:], _BINARY[op][2](a, b)) if type(x) is int]
        if op == "sum":
            return [(i, 1.0) for i in ins[1]]
        a = v[ins[1]]
        d = {"neg": lambda: -1.0,
             "pow": lambda: (1.0 if pow_no_k else ins[2]) * a ** (ins[2] - 1),
             "tanh": lambda: 1.0 - (v[k] if tanh_1mt else v[k] ** 2),
             "relu": lambda: float(a >= 0 if relu_at_0 else a > 0),
             "exp": lambda: v[k],
             "log": lambda: 1.0 / a,
             "sigmoid": lambda: a * (1.0 - a) if sigmoid_of_input else v[k] * (1.0 - v[k])}[op]()
        return [(ins[1], d)]

    def backward(k):
        for j, d in local(k):
            contrib = d if (log_no_chain and p.ins[k][0] == "log") else d * g[k]
            g[j] = contrib if assign else g[j] + contrib

    if order == "bfs":
        queue, seen = deque([n - 1]), {n - 1}
        while queue:
            k = queue.popleft()
            backward(k)
            for j in _node_operands(p.ins[k]):
                if j not in seen:
                    seen.add(j)
                    queue.append(j)
    else:
        for k in reversed(range(n)):
            backward(k)
    return np.array(v), np.array(g), np.zeros(n)


VALUE_BUGS = {
    "backward() processes the nodes in breadth-first order, not in reverse topological order":
        dict(order="bfs"),
    "gradients are assigned (=) instead of accumulated (+=)": dict(assign=True),
    "tanh's local derivative is 1 - tanh(a) instead of 1 - tanh(a)**2": dict(tanh_1mt=True),
    "relu passes the gradient at exactly 0 (use data > 0, not >= 0)": dict(relu_at_0=True),
    "the derivative of a**k lacks the factor k (it is k * a**(k - 1))": dict(pow_no_k=True),
    "log's local derivative 1/a is not multiplied by out.grad (the chain rule)": dict(log_no_chain=True),
    "sigmoid's local derivative uses the input a instead of s = sigmoid(a) (it is s * (1 - s))":
        dict(sigmoid_of_input=True),
}


def value_result(program, show, rtol=1e-7, atol=1e-10):
    """Compare what ``run_value_ops`` reports; name the first wrong thing (``show``: with
    the numbers of the program and of the values, for visible cases)."""
    n = len(program)
    desc = [describe(k, ins, show) for k, ins in enumerate(program)]
    uses = [[] for _ in range(n)]
    for k, ins in enumerate(program):
        for j in _node_operands(ins):
            uses[j].append(k)

    def num(got, want):
        return f" (got {got:.8g}, expected {want:.8g})" if show else ""

    def compare(got, expected):
        if (not isinstance(got, (tuple, list)) or len(got) != 3
                or not all(isinstance(a, np.ndarray) and a.shape == (n,) for a in got)):
            return f"the Value program did not report its {n} nodes (got {describe(got)})"
        data, grad, before = got   # values, whatever their Python type (int or float)
        want_data, want_grad = expected[0], expected[1]
        bad = np.flatnonzero(before != 0.0)
        if bad.size:
            k = bad[0]
            return f"{desc[k]}: its .grad is {before[k]:g} before backward() is called; it must start at 0.0"
        ok = lambda a, b: (np.abs(a - b) <= atol + rtol * np.abs(b))  # noqa: E731 (nan: not ok)
        bad = np.flatnonzero(~ok(data, want_data))
        if bad.size:
            k = bad[0]
            return f"wrong value (.data) of {desc[k]}{num(data[k], want_data[k])}: this operation computes the wrong thing"
        if not ok(grad[-1], 1.0):
            return f"after v{n - 1}.backward(), v{n - 1}.grad is {grad[-1]:g}: backward() must set the output's grad to 1"
        bad = np.flatnonzero(~ok(grad, want_grad))
        if not bad.size:
            return None
        k = int(bad.max())   # walking back from the output, the first wrong grad
        first = f"wrong grad of v{k}{num(grad[k], want_grad[k])}"
        users = uses[k]
        if not users:
            return f"{first}: v{k} does not feed the output, so its grad must stay 0"
        if len(users) > 1:
            listed = "; ".join(dict.fromkeys(desc[c] for c in users))
            return (f"{first}, although every node computed from it has the right grad. v{k} is used "
                    f"{len(users)} times ({listed}): its grad must add up what every use sends back "
                    f"(+= in every _backward, never =), or one of these operations sends back the wrong gradient")
        c = users[0]
        rule = RULES[program[c][0]]
        if len(uses[c]) > 1:
            return (f"{first}, although its only use, {desc[c]}, has the right grad: either that operation's "
                    f"backward rule is wrong ({rule}, times out.grad), or v{c}, which is used {len(uses[c])} "
                    f"times, passed its grad on before all its uses had added to it (backward() must process "
                    f"every node after all the nodes computed from it: reverse topological order)")
        return (f"{first}, although its only use, {desc[c]}, has the right grad: that operation's backward "
                f"rule is wrong ({rule}, times out.grad)")

    return compare


def _random_number(rng):
    if rng.random() < 0.3:
        return int(rng.choice([1, 2, 3, -1, -2]))
    c = round(float(rng.uniform(-3, 3)), 2)
    return c if abs(c) >= 0.25 else 0.5


def _usable(ins, value):
    """Keep programs well conditioned: no huge or tiny values, no relu input near its kink."""
    if not (isinstance(value, float) and math.isfinite(value)) or abs(value) > 1e3:
        return False
    return value == 0.0 and ins[0] in ("relu", "sub") or abs(value) >= 1e-3


def random_program(rng, n_leaves, n_ops):
    """A random graph of every kind of operation, the output summing all its loose ends."""
    p = Program()
    for _ in range(n_leaves):
        p.leaf(round(float(rng.uniform(-2, 2)), 3) or 0.5)
    kinds = ["add", "sub", "mul", "div", "neg", "pow", "tanh", "relu", "exp", "log", "sigmoid", "sum"]
    weights = np.array([3, 2, 3, 2, 1, 2, 2, 2, 1, 1, 2, 1], dtype=float)
    tries = 0
    while len(p) < n_leaves + n_ops and tries < 100 * n_ops:
        tries += 1
        n = len(p)
        pick = lambda: int(n - 1 - min(rng.geometric(0.25) - 1, n - 1)) if rng.random() < 0.6 \
            else int(rng.integers(n))  # noqa: E731 - mostly recent nodes: deep graphs
        op = str(rng.choice(kinds, p=weights / weights.sum()))
        a = pick()
        va = p.vals[a]
        if op in _BINARY:
            side = rng.random()
            b = pick() if side < 0.5 else ("num", _random_number(rng))
            ins = (op, a, b) if side < 0.75 else (op, b, a)
            divisor = ins[2]
            if op == "div" and abs(p.vals[divisor] if type(divisor) is int else divisor[1]) < 0.3:
                continue
        elif op == "pow":
            k = [2, 3, -1, -2, 0.5, -0.5, 1.5][int(rng.integers(7))]
            if (k != int(k) and va < 0.1) or (k < 0 and abs(va) < 0.3):
                continue
            ins = ("pow", a, k)
        elif op == "sum":
            ins = ("sum", tuple(pick() for _ in range(int(rng.integers(2, 5)))))
        elif op == "log":
            if va < 0.1:
                continue
            ins = ("log", a)
        elif op == "exp":
            if va > 4:
                continue
            ins = ("exp", a)
        elif op == "relu" and 0 < abs(va) < 1e-6:
            continue
        elif op == "sigmoid" and abs(va) > 30:
            continue
        else:
            ins = (op, a)
        if _usable(ins, p.value(ins)):
            p.add(*ins)
    loose = [k for k in range(len(p)) if not any(k in _node_operands(i) for i in p.ins)]
    p.sum([Sym(p, k) for k in loose])
    return p


@task("Value")
def value_cases(rng, hidden):
    def case(label, prog, **kw):
        program = list(prog.ins)
        exp = torch_value_program(program)
        compare = value_result(program, show=not hidden)
        bugs = known_bugs(exp, _same, **{bug: simulate_value_program(program, **sw)
                                          for bug, sw in VALUE_BUGS.items()})
        return Case("Value", label, (program,), exp, compare, bugs=bugs, probe="value_ops", **kw)

    if not hidden:
        p = Program()
        a, b = p.leaf(3), p.leaf(-2)
        a * b - 1
        cases = [case("Value(3) * Value(-2) - 1, made from ints (an int .data is fine); .grad starts at 0", p)]

        p = Program()
        w, x, b, t = p.leaf(0.8), p.leaf(1.5), p.leaf(-0.5), p.leaf(1.0)
        ((w * x + b).tanh() - t) ** 2
        cases.append(case("the neuron of section 1: (tanh(w * x + b) - t) ** 2", p))

        p = Program()
        x = p.leaf(3.0)
        x * x + x * (x - 1)
        cases.append(case("x * x + x * (x - 1): a node used four times (gradients accumulate with +=)", p))

        p = Program()
        x = p.leaf(0.5)
        m = x * 3
        m - m.tanh() * 2
        cases.append(case("m = x * 3; m - m.tanh() * 2: m reaches the output along two paths of different "
                          "lengths (reverse topological order)", p))

        p = Program()
        x, y = p.leaf(1.5), p.leaf(-0.5)
        p.sum([2 + x, 2 - y, 2 * x, 2 / x, x + 1, y - 1, x * 3, y / 4, 1 - x / y])
        cases.append(case("plain numbers on either side (2 + x, 2 - y, 2 * x, 2 / x, ...) and Python's sum(), "
                          "which starts from the int 0", p))

        p = Program()
        x, y, z = p.leaf(0.0), p.leaf(-1.5), p.leaf(2.0)
        (x.relu() + y.relu() + z.relu() + (z - z).relu()) * z + (z.exp() * 0.5 + y.exp()).log() * 3
        cases.append(case("relu at exactly 0 (gradient 0 there), relu of a negative, exp and log", p))

        p = Program()
        x, y = p.leaf(1.7), p.leaf(-0.6)
        x ** 3 + x ** -1 + x ** 0.5 + x ** -1.5 + y ** 2 + x / y - y / (x + y)
        cases.append(case("powers x ** 3, x ** -1, x ** 0.5, x ** -1.5, y ** 2, and Values divided by Values",
                          p))

        p = Program()
        x, y, w = p.leaf(0.0), p.leaf(2.5), p.leaf(-1.2)
        s = (x * w + y).sigmoid()
        x.sigmoid() * y.sigmoid() + w.sigmoid() - (s.log() + (1 - s).log() * 0.5)
        cases.append(case("sigmoid of 0, of a positive and of a negative number, and log(s) + log(1 - s) of "
                          "a sigmoid", p))
        return cases

    def uniform(lo=-2.0, hi=2.0):
        return round(float(rng.uniform(lo, hi)), 3)

    # two paths of different lengths, several times over: a ladder
    p = Program()
    x = p.leaf(uniform(0.2, 1.0))
    m = x * uniform(0.5, 2.0)
    for k in range(4):
        inner = m.tanh() * uniform(0.5, 2.0)
        m = m + (inner.sigmoid() if k % 2 else inner.tanh()) * uniform(-1.0, 1.0)
    m * uniform(0.5, 2.0) - x
    ladder = case("paths of different lengths, several times over (topological order)", p)

    # a long chain
    p = Program()
    x = p.leaf(uniform(0.2, 1.0))
    h = x
    for i in range(50):
        h = [lambda h: (h * uniform(0.5, 1.5)).tanh() + (h * uniform(-1.5, 1.5)).sigmoid(),
             lambda h: h + x * uniform(-0.3, 0.3),
             lambda h: (h * h + 1).log() - h ** 2 / 4][i % 3](h)
    chain = case("a chain of 50 steps (about 190 operations)", p)

    # one node used many times
    p = Program()
    x, y = p.leaf(uniform(0.5, 1.5)), p.leaf(uniform(-1.5, -0.5))
    terms = [x * uniform() for _ in range(6)] + [x * x * x, x / y, y * x, (x * y).exp()]
    p.sum(terms) * x
    reuse = case("x used a dozen times (gradients accumulate)", p)

    # exact zeros and ints
    p = Program()
    z, a, b = p.leaf(0), p.leaf(int(rng.integers(1, 5))), p.leaf(uniform(-2, -0.1))
    ((a - a).relu() + z.relu() * a + b.relu() + (a * b).relu() + (a * 0.5 - b).relu()) * b + a
    zeros = case("relu at exactly 0 and of negatives, Values made from ints", p)

    return [ladder, chain, reuse, zeros,
            case("a random graph of every operation (25 operations)", random_program(rng, 3, 25), weight=2),
            case("a random graph of every operation (60 operations)", random_program(rng, 4, 60), weight=2)]
