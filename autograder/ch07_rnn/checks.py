"""Checks of ``ch07_rnn``: what each graded function must do, and how it is tested.

Oracles run in the grader, never in the student's process: PyTorch's own
modules in float64, with the student's weights copied in (PyTorch stores
them transposed, ``(H, D)`` instead of ``(D, H)``, and has a second bias,
set to zero here): ``nn.RNNCell`` for ``rnn_step``, ``nn.RNN`` with
``batch_first=True`` for ``rnn_forward``, ``nn.LSTMCell`` for ``lstm_step``,
``torch.nn.utils.clip_grad_norm_`` on copies of the arrays for
``clip_grad_norm``, ``nn.GRUCell`` (both biases) for ``gru_step``, and
autograd through ``nn.RNNCell`` for ``rnn_step_backward``. Plain NumPy
reimplementations, with switches, give the values that known bugs produce, so
that feedback can name them.

``train_tbptt_fixed`` is the debugging task: the release holds a truncated-BPTT
training loop with four planted bugs. Its oracle is the same training done
with autograd, ``cross_entropy``, ``clip_grad_norm_`` and ``torch.optim.SGD``;
a NumPy reference with one switch per planted bug gives the value of every
non-empty subset of bugs still present, so the feedback names them. Every
case fails with bug 1 alone, so the starter scores 0.

``sample_with_temperature`` is random, so no single draw is right or wrong.
Two kinds of case judge it. *Statistical* cases (probe ``sample_counts``)
call it a few thousand times with one ``Generator`` and test the counts
against ``softmax(logits / temperature)`` with a G-test (likelihood-ratio
test) whose false-failure probability is below ``2 * ALPHA`` per case:
categories expected fewer than ``MIN_EXPECTED`` times are pooled into one
bin, and when even that bin is expected fewer times, its count gets an
exact Poisson tail test instead. Calibration, measured with 4e5 simulated
counts of a correct sampler for each of 14 visible and hidden cases: the
fraction of p-values below 1e-2, 1e-3, 1e-4 and 1e-5 was 1.0-1.5, 0.9-1.5,
0.8-1.4 and 0.5-1.8 times the nominal level. Power: for each of 300 hidden
seeds, every bug distribution below was caught by at least one hidden case.
A bug's distribution (temperature multiplied instead of divided, arg-max,
temperature ignored, uniform) is a "bug value" like any other: when the
counts pass the test against it, the feedback names it. *Determinism* cases
(probe ``call_twice``) call it on two generators in the same state, over
1000 nearly equally likely indices: an answer that draws from ``rng``
returns the same index twice, one that draws from NumPy's global state
almost never does.
"""

import math

import numpy as np
import torch
from torch import nn

from nncourse.grading.checks import Assignment, Case, Rng, all_close, close, describe, known_bugs, scalar, sequence

ASSIGNMENT = Assignment("ch07_rnn", prelude="import math\nimport numpy as np", forbid=("torch",),
                        probes="probes.py")
task = ASSIGNMENT.task

ALPHA = 1e-8          # false-failure probability of each of a statistical case's two tests
MIN_EXPECTED = 10     # categories expected fewer times than this are pooled
N_DRAWS = 3000        # draws per statistical case


def _t(x):
    return torch.from_numpy(np.array(x, dtype=np.float64))


_same = all_close()   # a bug's value equal to the right answer names no bug


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _weights(rng, D, H, gates=1, scale=1.0):
    """Wx (D, gates*H), Wh (H, gates*H), b (gates*H,), at PyTorch's default scale 1/sqrt(H)."""
    s = scale / math.sqrt(H)
    return (rng.uniform(-s, s, size=(D, gates * H)), rng.uniform(-s, s, size=(H, gates * H)),
            rng.uniform(-s, s, size=gates * H))


# ---------------------------------------------------------------- rnn_step
def _torch_rnn_step(x, h_prev, Wx, Wh, b):
    D, H = Wx.shape
    cell = nn.RNNCell(D, H, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(_t(Wx.T))          # PyTorch keeps (H, D) and computes x @ W.T
        cell.weight_hh.copy_(_t(Wh.T))
        cell.bias_ih.copy_(_t(b))
        cell.bias_hh.zero_()
        return cell(_t(x), _t(h_prev)).numpy()


@task("rnn_step")
def rnn_step_cases(rng, hidden):
    tol = close(rtol=1e-7, atol=1e-12)

    def case(label, x, h_prev, Wx, Wh, b, **kw):
        exp = _torch_rnn_step(x, h_prev, Wx, Wh, b)
        a = x @ Wx + h_prev @ Wh + b
        square = Wx.shape[0] == Wx.shape[1]                  # D == H: the swaps below can run
        bugs = known_bugs(exp, _same, **{
            "the tanh is missing (the pre-activation is returned)": a,
            "relu is used instead of tanh": np.maximum(a, 0.0),
            "the bias b is not added": np.tanh(x @ Wx + h_prev @ Wh),
            "x and h_prev multiply the wrong matrices (x @ Wh + h_prev @ Wx)":
                np.tanh(x @ Wh + h_prev @ Wx + b) if square else None,
            "Wx and Wh are used transposed (x @ Wx.T + h_prev @ Wh.T)":
                np.tanh(x @ Wx.T + h_prev @ Wh.T + b) if square else None,
            "h_prev is ignored": np.tanh(x @ Wx + b),
        })
        return Case("rnn_step", label, (x, h_prev, Wx, Wh, b), exp, tol, bugs=bugs, **kw)

    def rand(N, D, H, scale=1.0):
        return (rng.normal(scale=scale, size=(N, D)), rng.normal(size=(N, H)), *_weights(rng, D, H))

    if not hidden:
        x = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]])                     # (N=2, D=3)
        h = np.array([[0.1, -0.2], [0.0, 0.3]])                                # (N=2, H=2)
        Wx = np.array([[0.5, -0.5], [0.25, 0.0], [-1.0, 0.5]])                 # (D=3, H=2)
        Wh = np.array([[1.0, 0.5], [-0.5, 1.0]])                               # (H=2, H=2)
        b = np.array([0.1, -0.1])
        return [case("small numbers: x (2, 3), h_prev (2, 2), Wx (3, 2), Wh (2, 2), b (2,)", x, h, Wx, Wh, b),
                case("random x (4, 5), h_prev (4, 3)", *rand(4, 5, 3)),
                case("square shapes D = H = 4 (x and h_prev could multiply the wrong matrices)", *rand(3, 4, 4))]
    D, H = int(rng.integers(2, 10)), int(rng.integers(2, 10))
    S = int(rng.integers(3, 9))
    return [case("random shapes", *rand(int(rng.integers(2, 12)), D, H), weight=2),
            case("random square shapes D = H", *rand(int(rng.integers(2, 8)), S, S), weight=2),
            case("a single sample (N = 1)", *rand(1, D, H)),
            case("large inputs (tanh saturates)", *rand(5, D, H, scale=30.0))]


# ---------------------------------------------------------------- rnn_forward
def _torch_rnn_forward(X, h0, Wx, Wh, b):
    D, H = Wx.shape
    rnn = nn.RNN(D, H, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(_t(Wx.T))
        rnn.weight_hh_l0.copy_(_t(Wh.T))
        rnn.bias_ih_l0.copy_(_t(b))
        rnn.bias_hh_l0.zero_()
        out, _ = rnn(_t(X), _t(h0)[None])          # h0 (layers=1, N, H)
    return out.numpy()                             # (N, T, H)


def _numpy_rnn_forward(X, h0, Wx, Wh, b, carry=True):
    hs = []
    h = h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + (h if carry else h0) @ Wh + b)
        hs.append(h)
    return np.stack(hs, axis=1)


@task("rnn_forward")
def rnn_forward_cases(rng, hidden):
    tol = close(rtol=1e-7, atol=1e-12)

    def case(label, X, h0, Wx, Wh, b, **kw):
        exp = _torch_rnn_forward(X, h0, Wx, Wh, b)
        bugs = known_bugs(exp, _same, **{
            "only the last state is returned (all T states are wanted)": exp[:, -1],
            "the state is not carried: every step starts again from h0": _numpy_rnn_forward(X, h0, Wx, Wh, b, False),
            "the states are stacked time-major, (T, N, H), instead of batch-first (N, T, H)": exp.transpose(1, 0, 2),
            "h0 is included as the first state (and the last state is missing)":
                np.concatenate([h0[:, None], exp[:, :-1]], axis=1),
            "h0 is included as the first state, (N, T + 1, H)": np.concatenate([h0[:, None], exp], axis=1),
        })
        return Case("rnn_forward", label, (X, h0, Wx, Wh, b), exp, tol, bugs=bugs, **kw)

    def rand(N, T, D, H, scale=1.0, zero_h0=False):
        h0 = np.zeros((N, H)) if zero_h0 else rng.normal(size=(N, H))
        return (rng.normal(size=(N, T, D)), h0, *_weights(rng, D, H, scale=scale))

    if not hidden:
        X = np.array([[[1.0, 0.0], [0.0, 1.0], [-1.0, 0.5]],
                      [[0.5, 0.5], [2.0, -1.0], [0.0, 0.0]]])                  # (N=2, T=3, D=2)
        h0 = np.zeros((2, 2))                                                  # (N=2, H=2)
        Wx = np.array([[0.5, -0.5], [0.25, 1.0]])
        Wh = np.array([[0.8, 0.3], [-0.3, 0.8]])
        b = np.array([0.0, 0.1])
        return [case("small numbers: X (2, 3, 2), h0 zeros (2, 2)", X, h0, Wx, Wh, b),
                case("random X (3, 7, 4), h0 (3, 5)", *rand(3, 7, 4, 5)),
                case("a sequence of length 1 (T = 1)", *rand(4, 1, 3, 2))]
    N, T = int(rng.integers(2, 8)), int(rng.integers(2, 15))
    D, H = int(rng.integers(2, 8)), int(rng.integers(2, 8))
    S = int(rng.integers(3, 7))
    return [case("random shapes", *rand(N, T, D, H), weight=2),
            case("as many steps as sequences (N = T): batch-first order matters", *rand(S, S, D, H)),
            case("a single sequence (N = 1)", *rand(1, T, D, H)),
            case("T = 1", *rand(N, 1, D, H)),
            case("a long sequence (T = 60) with strong recurrent weights and h0 = 0",
                 *rand(N, 60, D, H, scale=2.0, zero_h0=True), weight=2)]


# ---------------------------------------------------------------- lstm_step
def _torch_lstm_step(x, h_prev, c_prev, Wx, Wh, b):
    D, H4 = Wx.shape
    cell = nn.LSTMCell(D, H4 // 4, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(_t(Wx.T))
        cell.weight_hh.copy_(_t(Wh.T))
        cell.bias_ih.copy_(_t(b))
        cell.bias_hh.zero_()
        h, c = cell(_t(x), (_t(h_prev), _t(c_prev)))
    return h.numpy(), c.numpy()


def _numpy_lstm_step(x, h_prev, c_prev, Wx, Wh, b, order="ifgo", g_act=np.tanh, input_gate=True,
                     tanh_c=True, interleaved=False):
    """An independent LSTM step whose switches give the values of the classic bugs."""
    N, H = h_prev.shape
    a = x @ Wx + h_prev @ Wh + b                                            # (N, 4H)
    blocks = a.reshape(N, H, 4).transpose(2, 0, 1) if interleaved else a.reshape(N, 4, H).transpose(1, 0, 2)
    gate = dict(zip(order, blocks))
    i, f, g, o = _sigmoid(gate["i"]), _sigmoid(gate["f"]), g_act(gate["g"]), _sigmoid(gate["o"])
    c = f * c_prev + (i * g if input_gate else g)
    h = o * (np.tanh(c) if tanh_c else c)
    return h, c


LSTM_BUGS = {
    "the gates are taken in the order i, f, o, g (PyTorch's order is i, f, g, o)": dict(order="ifog"),
    "the gates are taken in the order f, i, g, o (PyTorch's order is i, f, g, o)": dict(order="figo"),
    "the candidate g goes through a sigmoid instead of tanh": dict(g_act=_sigmoid),
    "the cell adds g without the input gate (c = f * c_prev + g)": dict(input_gate=False),
    "h = o * c, without the tanh of the cell": dict(tanh_c=False),
    "the four gates are interleaved columns of the pre-activation instead of consecutive blocks of H":
        dict(interleaved=True),
}


@task("lstm_step")
def lstm_step_cases(rng, hidden):
    tol = close(rtol=1e-7, atol=1e-12)
    compare = sequence(tol, tol, names=("h", "c"))

    def case(label, x, h_prev, c_prev, Wx, Wh, b, **kw):
        exp = _torch_lstm_step(x, h_prev, c_prev, Wx, Wh, b)
        bugs = known_bugs(exp, _same, **{bug: _numpy_lstm_step(x, h_prev, c_prev, Wx, Wh, b, **sw)
                             for bug, sw in LSTM_BUGS.items()})
        bugs.update(known_bugs(exp, _same, **{
            "h and c are returned in the wrong order (return h, c)": (exp[1], exp[0]),
            "c_prev is not used (c = i * g)": _numpy_lstm_step(x, h_prev, np.zeros_like(c_prev), Wx, Wh, b),
        }))
        return Case("lstm_step", label, (x, h_prev, c_prev, Wx, Wh, b), exp, compare, bugs=bugs, **kw)

    def rand(N, D, H, scale=1.0):
        return (rng.normal(scale=scale, size=(N, D)), rng.normal(size=(N, H)), rng.normal(scale=2.0, size=(N, H)),
                *_weights(rng, D, H, gates=4, scale=scale))

    if not hidden:
        x = np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -0.5]])                   # (N=2, D=3)
        h = np.array([[0.5, -0.5], [0.1, 0.2]])                                # (N=2, H=2)
        c = np.array([[1.0, -2.0], [0.5, 3.0]])
        Wx = np.linspace(-1.0, 1.0, 24).reshape(3, 8)                          # (D=3, 4H=8)
        Wh = np.linspace(0.8, -0.8, 16).reshape(2, 8)                          # (H=2, 4H=8)
        b = np.array([0.0, 0.5, 1.0, -1.0, 0.25, -0.25, 0.0, 0.5])             # (4H=8,)
        return [case("small numbers: x (2, 3), h_prev and c_prev (2, 2), Wx (3, 8), Wh (2, 8), b (8,)",
                     x, h, c, Wx, Wh, b),
                case("random x (4, 5), h_prev and c_prev (4, 3)", *rand(4, 5, 3)),
                case("a single sample (N = 1), H = 6", *rand(1, 3, 6))]
    D, H = int(rng.integers(2, 10)), int(rng.integers(2, 10))
    return [case("random shapes", *rand(int(rng.integers(2, 12)), D, H), weight=2),
            case("a single sample (N = 1)", *rand(1, D, H)),
            case("a single unit (H = 1)", *rand(int(rng.integers(2, 6)), D, 1)),
            case("large pre-activations (gates near 0 or 1)", *rand(6, D, H, scale=8.0)),
            case("many units (H = 32)", *rand(5, D, 32), weight=2)]


# ---------------------------------------------------------------- clip_grad_norm
def _torch_clip(grads, max_norm):
    params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, g in zip(params, grads):
        p.grad = _t(g)                                   # a copy: the inputs stay as they are
    total = torch.nn.utils.clip_grad_norm_(params, max_norm)
    return [p.grad.numpy() for p in params], float(total)


def clipped_and_norm(rtol=1e-6, norm_rtol=1e-9):
    """``(clipped, total_norm)``: a list of arrays shaped like ``grads``, and a number.

    ``rtol`` is loose enough for the two readings of "exceeds" to pass exactly at
    ``total_norm == max_norm`` with ``max_norm >= 2`` (PyTorch scales by
    ``max_norm / (max_norm + 1e-6)`` there, ``if total > max_norm`` does not), and
    tight enough to see a missing 1e-6 when the norms are about 1e-5."""
    arr_ok, norm_ok = close(rtol=rtol, atol=0.0), scalar(rtol=norm_rtol, atol=1e-300)

    def compare(got, expected):
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return f"expected a tuple (clipped, total_norm), got {describe(got)}"
        clipped, total = got
        want, want_total = expected
        problem = norm_ok(total, want_total)
        if problem is not None:
            return f"total_norm: {problem}"
        L = len(want)
        if not isinstance(clipped, (tuple, list)) or len(clipped) != L:
            n = f"{len(clipped)} items" if isinstance(clipped, (tuple, list)) else describe(clipped)
            return f"clipped: expected a list of {L} arrays, one per gradient, got {n}"
        for k, (g, e) in enumerate(zip(clipped, want)):
            problem = arr_ok(g, e)
            if problem is not None:
                return f"clipped[{k}]: {problem}"
        return None

    return compare


def _norm(grads):
    return math.sqrt(sum(float(np.sum(g ** 2)) for g in grads))


@task("clip_grad_norm")
def clip_grad_norm_cases(rng, hidden):
    compare = clipped_and_norm()

    def case(label, grads, max_norm, **kw):
        grads = [np.asarray(g, dtype=np.float64) for g in grads]
        exp = _torch_clip(grads, max_norm)
        total = _norm(grads)
        scale = max_norm / (total + 1e-6)
        norms = [math.sqrt(float(np.sum(g ** 2))) for g in grads]
        bugs = {
            "each array is clipped by its own norm (clip the total norm of all arrays together)":
                ([g * min(1.0, max_norm / (n + 1e-6)) for g, n in zip(grads, norms)], total),
            "the arrays are scaled also when the total norm is below max_norm":
                ([g * scale for g in grads], total),
            "the 1e-6 is missing from the denominator (scale by max_norm / (total_norm + 1e-6))":
                ([g * min(1.0, max_norm / total) for g in grads], total) if total > 0 else None,
            "total_norm is the sum of the arrays' norms (it is the norm of all entries together)":
                (exp[0], sum(norms)),
            "total_norm is measured after clipping (return the norm before)": (exp[0], _norm(exp[0])),
        }
        bugs = {k: v for k, v in bugs.items() if v is not None and compare(v, exp) is not None}
        return Case("clip_grad_norm", label, (grads, max_norm), exp, compare, bugs=bugs, **kw)

    def rand_grads(n_arrays, scale=1.0):
        shapes = [tuple(int(s) for s in rng.integers(1, 7, size=int(rng.integers(1, 4)))) for _ in range(n_arrays)]
        return [rng.normal(scale=scale, size=s) for s in shapes]

    if not hidden:
        grads = [rng.normal(size=(4, 5)), rng.normal(size=5), rng.normal(size=(5, 5))]
        tiny = [rng.normal(scale=1e-6, size=(3, 4)), rng.normal(scale=1e-6, size=4)]
        return [case("three arrays (4, 5), (5,), (5, 5), total norm about 7, max_norm = 1: scaled together",
                     grads, 1.0, weight=2),
                case("the same arrays, max_norm = 100: returned unchanged", grads, 100.0),
                case("tiny gradients (total norm about 4e-6), max_norm = 1e-6: the 1e-6 in the denominator matters",
                     tiny, 1e-6)]
    grads = rand_grads(int(rng.integers(2, 6)))
    total = _norm(grads)
    at_3 = [g * 3.0 / total for g in grads]                  # total norm 3 (up to rounding)
    return [case("random arrays, total norm above max_norm", grads, total * float(rng.uniform(0.1, 0.9)), weight=2),
            case("random arrays, total norm below max_norm", rand_grads(3), 1e3),
            case("total norm exactly max_norm", at_3, _norm(at_3)),
            case("a single array", rand_grads(1, scale=5.0), 0.5),
            case("large gradients (entries about 1e4)", rand_grads(3, scale=1e4), 5.0),
            case("tiny gradients (total norm about 1e-5), max_norm = 2e-6",
                 [g * 1e-5 / total for g in grads], 2e-6, weight=2),
            case("all gradients zero", [np.zeros((3, 2)), np.zeros(4)], 1.0)]


# ---------------------------------------------------------------- sample_with_temperature
def softmax_t(logits, temperature):
    """The oracle: torch's softmax of logits / temperature, in float64."""
    return torch.softmax(_t(logits) / temperature, dim=0).numpy()


def _poisson_tail(k, lam):
    """P(X >= k) for X ~ Poisson(lam), k >= 1: the regularised lower incomplete gamma P(k, lam)."""
    if lam <= 0:
        return 0.0
    return float(torch.special.gammainc(torch.tensor(float(k), dtype=torch.float64),
                                        torch.tensor(float(lam), dtype=torch.float64)))


def fit_test(counts, p):
    """How surprising are ``counts`` if every draw came from ``p``: ``(p_value, reason)``.

    A G-test over the categories expected at least ``MIN_EXPECTED`` times, the others
    pooled into one bin; if that bin is expected fewer times, its count gets an exact
    Poisson upper-tail test instead (a draw of an index of probability 1e-300 is
    impossible, whatever the other counts). The smaller p-value is returned."""
    counts = np.asarray(counts, dtype=np.float64)
    n = counts.sum()
    E = n * np.asarray(p, dtype=np.float64)
    big = E >= MIN_EXPECTED
    O_bins, E_bins = list(counts[big]), list(E[big])
    rare_O, rare_E = float(counts[~big].sum()), float(E[~big].sum())
    tail = 1.0
    if rare_E >= MIN_EXPECTED:
        O_bins.append(rare_O)
        E_bins.append(rare_E)
    elif rare_O > 0:
        tail = _poisson_tail(rare_O, rare_E)
    O_bins, E_bins = np.array(O_bins), np.array(E_bins)
    df = len(O_bins) - 1
    if df < 1:
        return tail, "rare"
    seen = O_bins > 0
    G = 2.0 * float(np.sum(O_bins[seen] * np.log(O_bins[seen] / E_bins[seen])))
    g_p = float(torch.special.gammaincc(torch.tensor(df / 2, dtype=torch.float64),
                                        torch.tensor(max(G, 0.0) / 2, dtype=torch.float64)))
    return (g_p, "G") if g_p <= tail else (tail, "rare")


def follows(show):
    """The counts of the probe ``sample_counts`` are consistent with the distribution
    ``expected`` (false failure below ``2 * ALPHA``). ``show``: print the frequencies
    (visible cases only)."""

    def compare(got, expected):
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return f"the sampling probe reported {describe(got)}"
        counts, problem = got
        if problem:
            return problem
        counts = np.asarray(counts)
        n = int(counts.sum())
        p_value, kind = fit_test(counts, expected)
        if p_value >= ALPHA:
            return None
        freq = counts / n
        worst = np.argsort(-np.abs(freq - expected))[:3]
        detail = ("; " + ", ".join(f"index {k}: drawn {freq[k]:.3f} of the time, expected {expected[k]:.3f}"
                                   for k in sorted(worst))) if show else ""
        if kind == "rare":
            rare = int(counts[expected * n < MIN_EXPECTED].sum())
            return (f"in {n} draws, indices of (almost) zero probability came out {rare} times "
                    f"(p = {p_value:.1e}){detail}")
        return (f"the {n} draws do not follow softmax(logits / temperature) (G-test p-value {p_value:.1e}, "
                f"below {ALPHA:g}){detail}")

    return compare


def same_index_twice(got, expected):
    """Probe ``call_twice``: two valid indices, equal (the same generator state)."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"expected two results, got {describe(got)}"
    for v in got:
        if isinstance(v, np.ndarray) and v.shape == () and v.dtype.kind in "iu":
            v = v[()]
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            return f"returned {describe(v)}, not an int index"
        if not 0 <= int(v) < len(expected):
            return f"returned the index {int(v)}, outside range(0, {len(expected)})"
    if int(got[0]) != int(got[1]):
        return ("two calls with generators in the same state returned different indices: draw only from the "
                "rng argument, never from np.random (NumPy's global random state)")
    return None


@task("sample_with_temperature")
def sample_cases(rng, hidden):
    def stats(label, logits, temperature, n=N_DRAWS, **kw):
        logits = np.asarray(logits, dtype=np.float64)
        p = softmax_t(logits, temperature)
        top = np.zeros_like(p)
        top[int(np.argmax(logits))] = 1.0
        bugs = {
            "the logits are multiplied by the temperature instead of divided": softmax_t(logits, 1.0 / temperature),
            "the arg-max is returned (no sampling)": top,
            "the temperature is ignored (softmax(logits))": softmax_t(logits, 1.0),
            "the draw is uniform over the indices": np.full(len(p), 1.0 / len(p)),
        }
        bugs = {k: v for k, v in bugs.items() if not np.allclose(v, p, rtol=0.05, atol=1e-3)}
        return Case("sample_with_temperature", label, (logits, float(temperature), Rng(int(rng.integers(2**31))), n),
                    p, follows(show=not hidden), bugs=bugs, probe="sample_counts", seconds=30, **kw)

    def twice(label, logits, temperature, **kw):
        logits = np.asarray(logits, dtype=np.float64)
        return Case("sample_with_temperature", label, (logits, float(temperature), Rng(int(rng.integers(2**31)))),
                    softmax_t(logits, temperature), same_index_twice, probe="call_twice", **kw)

    huge = np.array([1e4, -1e4, 1e4 - 0.01, 0.0, 5e3])      # / 0.01: 1e6, -1e6, 1e6 - 1, 0, 5e5
    if not hidden:
        return [stats(f"logits [2, 1, 0, -1], temperature 1: {N_DRAWS} draws follow softmax(logits)",
                      [2.0, 1.0, 0.0, -1.0], 1.0),
                stats(f"6 random logits, temperature 0.5 (sharper): {N_DRAWS} draws follow softmax(logits / 0.5)",
                      rng.normal(scale=1.5, size=6), 0.5),
                stats(f"6 random logits, temperature 3 (flatter): {N_DRAWS} draws follow softmax(logits / 3)",
                      rng.normal(scale=3.0, size=6), 3.0),
                stats("logits up to 1e4 at temperature 0.01 (z up to 1e6): no nan, inf or warning; "
                      "two indices share the mass", huge, 0.01, no_warnings=True),
                twice("uses the rng argument: generators in the same state give the same index "
                      "(1000 nearly equally likely indices)", rng.normal(scale=0.1, size=1000), 1.0)]
    C = int(rng.integers(5, 25))
    low, high = float(rng.uniform(0.25, 0.6)), float(rng.uniform(1.8, 4.0))
    big = rng.uniform(-1e4, 1e4, size=C)
    big[int(rng.integers(C))] = big.max() - float(rng.uniform(0.0, 0.02))   # a near tie at the top
    return [stats("random logits, temperature 1", rng.normal(scale=2.0, size=C), 1.0),
            stats("random logits, a low temperature", rng.normal(scale=1.5, size=C), low),
            stats("random logits, a high temperature", rng.normal(scale=3.0, size=C), high),
            stats("random logits up to 1e4 at temperature 0.01: no nan, inf or warning", big, 0.01,
                  no_warnings=True),
            stats("logits up to 1e4 at temperature 1e4: no warning, nearly uniform", big, 1e4, no_warnings=True),
            twice("uses the rng argument (generators in the same state give the same index)",
                  rng.normal(scale=0.1, size=1000), 1.0, weight=2)]


# ---------------------------------------------------------------- gru_step
def _torch_gru_step(x, h_prev, Wx, Wh, bx, bh):
    D, H3 = Wx.shape
    cell = nn.GRUCell(D, H3 // 3, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(_t(Wx.T))
        cell.weight_hh.copy_(_t(Wh.T))
        cell.bias_ih.copy_(_t(bx))
        cell.bias_hh.copy_(_t(bh))
        return cell(_t(x), _t(h_prev)).numpy()


def _numpy_gru_step(x, h_prev, Wx, Wh, bx, bh, order="rzn", reset_outside=False, swap_mix=False,
                    n_act=np.tanh, use_reset=True):
    """An independent GRU step whose switches give the values of the classic bugs."""
    N, H = h_prev.shape
    ax = (x @ Wx + bx).reshape(N, 3, H)
    ah = (h_prev @ Wh + bh).reshape(N, 3, H)
    gx, gh = dict(zip(order, ax.transpose(1, 0, 2))), dict(zip(order, ah.transpose(1, 0, 2)))
    r = _sigmoid(gx["r"] + gh["r"]) if use_reset else 1.0
    z = _sigmoid(gx["z"] + gh["z"])
    if reset_outside:
        n = n_act(gx["n"] + (r * h_prev) @ Wh[:, 2 * H:] + bh[2 * H:])
    else:
        n = n_act(gx["n"] + r * gh["n"])
    return z * n + (1 - z) * h_prev if swap_mix else (1 - z) * n + z * h_prev


GRU_BUGS = {
    "the update mixes the wrong way round (h = z * n + (1 - z) * h_prev)": dict(swap_mix=True),
    "the gates are taken in the order z, r, n (PyTorch's order is r, z, n)": dict(order="zrn"),
    "the reset gate multiplies h_prev before the product, (r * h_prev) @ Wh_n + bh_n "
    "(PyTorch applies it to h_prev @ Wh_n + bh_n)": dict(reset_outside=True),
    "the candidate n goes through a sigmoid instead of tanh": dict(n_act=_sigmoid),
}


@task("gru_step")
def gru_step_cases(rng, hidden):
    tol = close(rtol=1e-7, atol=1e-12)

    def case(label, x, h_prev, Wx, Wh, bx, bh, **kw):
        exp = _torch_gru_step(x, h_prev, Wx, Wh, bx, bh)
        H = h_prev.shape[1]
        bugs = known_bugs(exp, _same, **{bug: _numpy_gru_step(x, h_prev, Wx, Wh, bx, bh, **sw)
                                         for bug, sw in GRU_BUGS.items()})
        bugs.update(known_bugs(exp, _same, **{
            "the reset gate is not used (n = tanh(x Wx_n + bx_n + h_prev Wh_n + bh_n))":
                _numpy_gru_step(x, h_prev, Wx, Wh, bx, bh, use_reset=False),
            "the second bias bh is ignored": _torch_gru_step(x, h_prev, Wx, Wh, bx, np.zeros_like(bh)),
        }))
        return Case("gru_step", label, (x, h_prev, Wx, Wh, bx, bh), exp, tol, bugs=bugs, **kw)

    def rand(N, D, H, scale=1.0):
        Wx, Wh, bx = _weights(rng, D, H, gates=3, scale=scale)
        bh = rng.uniform(-scale, scale, size=3 * H) / math.sqrt(H)
        return rng.normal(scale=scale, size=(N, D)), rng.normal(size=(N, H)), Wx, Wh, bx, bh

    if not hidden:
        x = np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -0.5]])                   # (N=2, D=3)
        h = np.array([[0.5, -0.5], [0.1, 0.2]])                                # (N=2, H=2)
        Wx = np.linspace(-1.0, 1.0, 18).reshape(3, 6)                          # (D=3, 3H=6)
        Wh = np.linspace(0.8, -0.8, 12).reshape(2, 6)                          # (H=2, 3H=6)
        bx = np.array([0.0, 0.5, 1.0, -1.0, 0.25, -0.25])                      # (3H=6,)
        bh = np.array([0.5, -0.5, 0.0, 0.25, 1.0, -1.0])
        return [case("small numbers: x (2, 3), h_prev (2, 2), Wx (3, 6), Wh (2, 6), bx and bh (6,)",
                     x, h, Wx, Wh, bx, bh),
                case("random x (4, 5), h_prev (4, 3)", *rand(4, 5, 3)),
                case("a single sample (N = 1), H = 6", *rand(1, 3, 6))]
    D, H = int(rng.integers(2, 10)), int(rng.integers(2, 10))
    return [case("random shapes", *rand(int(rng.integers(2, 12)), D, H), weight=2),
            case("a single sample (N = 1)", *rand(1, D, H)),
            case("a single unit (H = 1)", *rand(int(rng.integers(2, 6)), D, 1)),
            case("large pre-activations (gates near 0 or 1)", *rand(6, D, H, scale=6.0)),
            case("many units (H = 32)", *rand(5, D, 32), weight=2)]


# ---------------------------------------------------------------- rnn_step_backward
def _torch_rnn_step_backward(dh, x, h_prev, Wx, Wh, b):
    """Autograd through one step of torch.nn.RNNCell (its weights the transposes of ours)."""
    D, H = Wx.shape
    cell = nn.RNNCell(D, H, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(_t(Wx.T))
        cell.weight_hh.copy_(_t(Wh.T))
        cell.bias_ih.copy_(_t(b))
        cell.bias_hh.zero_()
    tx, th = _t(x).requires_grad_(), _t(h_prev).requires_grad_()
    (cell(tx, th) * _t(dh)).sum().backward()
    return (tx.grad.numpy(), th.grad.numpy(), cell.weight_ih.grad.T.numpy().copy(),
            cell.weight_hh.grad.T.numpy().copy(), cell.bias_ih.grad.numpy())


def _numpy_rnn_step_backward(dh, x, h_prev, Wx, Wh, b, slope="h", transpose_wh=True, db="sum"):
    a = x @ Wx + h_prev @ Wh + b
    h = np.tanh(a)
    da = dh * {"h": 1 - h ** 2, "a": 1 - a ** 2, "none": 1.0, "h1": 1 - h}[slope]
    dbv = {"sum": da.sum(axis=0), "mean": da.mean(axis=0)}[db]
    return (da @ Wx.T, da @ (Wh.T if transpose_wh else Wh), x.T @ da, h_prev.T @ da, dbv)


RNN_BACKWARD_BUGS = {
    "tanh's slope is taken at the pre-activation, 1 - a**2 (it is 1 - h**2, with h = tanh(a))": dict(slope="a"),
    "the gradient does not go through tanh (its slope 1 - h**2 is missing)": dict(slope="none"),
    "tanh's slope is written 1 - h (it is 1 - h**2)": dict(slope="h1"),
    "dh_prev multiplies by Wh instead of Wh.T": dict(transpose_wh=False),
    "db is the mean over the batch (the loss sums over the batch: db is the sum)": dict(db="mean"),
}


@task("rnn_step_backward")
def rnn_step_backward_cases(rng, hidden):
    tol = close(rtol=1e-7, atol=1e-12)
    compare = sequence(tol, tol, tol, tol, tol, names=("dx", "dh_prev", "dWx", "dWh", "db"))

    def case(label, dh, x, h_prev, Wx, Wh, b, **kw):
        exp = _torch_rnn_step_backward(dh, x, h_prev, Wx, Wh, b)
        bugs = known_bugs(exp, _same, **{bug: _numpy_rnn_step_backward(dh, x, h_prev, Wx, Wh, b, **sw)
                                         for bug, sw in RNN_BACKWARD_BUGS.items()})
        bugs.update(known_bugs(exp, _same, **{
            "the weight gradients are transposed (dWx = da.T @ x, dWh = da.T @ h_prev)":
                (exp[0], exp[1], exp[2].T, exp[3].T, exp[4]),
            "dWx and dWh are swapped": (exp[0], exp[1], exp[3], exp[2], exp[4])
                if Wx.shape == Wh.shape else None,
            "dx and dh_prev are returned in the wrong order": (exp[1], exp[0], *exp[2:]),
            "dh_prev is dh itself (the gradient does not go back through the step)":
                (exp[0], dh, *exp[2:]),
        }))
        return Case("rnn_step_backward", label, (dh, x, h_prev, Wx, Wh, b), exp, compare, bugs=bugs, **kw)

    def rand(N, D, H, scale=1.0):
        Wx, Wh, b = _weights(rng, D, H, scale=scale)
        return (rng.normal(size=(N, H)), rng.normal(scale=scale, size=(N, D)), rng.normal(size=(N, H)), Wx, Wh, b)

    if not hidden:
        x = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]])                     # (N=2, D=3)
        h = np.array([[0.1, -0.2], [0.0, 0.3]])                                # (N=2, H=2)
        Wx = np.array([[0.5, -0.5], [0.25, 0.0], [-1.0, 0.5]])                 # (D=3, H=2)
        Wh = np.array([[1.0, 0.5], [-0.5, 1.0]])                               # (H=2, H=2)
        b = np.array([0.1, -0.1])
        dh = np.array([[1.0, 0.0], [0.5, -1.0]])
        return [case("small numbers: dh (2, 2), x (2, 3), h_prev (2, 2), Wx (3, 2), Wh (2, 2), b (2,)",
                     dh, x, h, Wx, Wh, b),
                case("random dh (4, 3), x (4, 5), h_prev (4, 3)", *rand(4, 5, 3)),
                case("square shapes D = H = 4 (shapes cannot tell the transposes apart)", *rand(3, 4, 4))]
    D, H = int(rng.integers(2, 10)), int(rng.integers(2, 10))
    S = int(rng.integers(3, 9))
    return [case("random shapes", *rand(int(rng.integers(2, 12)), D, H), weight=2),
            case("random square shapes D = H", *rand(int(rng.integers(2, 8)), S, S), weight=2),
            case("a single sample (N = 1)", *rand(1, D, H)),
            case("a single unit (H = 1)", *rand(int(rng.integers(2, 6)), D, 1)),
            case("large inputs (tanh saturates: tiny gradients)", *rand(5, D, H, scale=3.0))]


# ---------------------------------------------------------------- train_tbptt_fixed (debugging task)
# The provided loop has four planted bugs; the switches of ``_tbptt`` put each back.
TBPTT_BUGS = {
    "targets": "bug 1 (the targets are the inputs themselves, not the next characters) is still there",
    "chain": "bug 2 (the gradient from step t + 1 is not added to dh: the chain of states is cut) "
             "is still there",
    "sum": "bug 3 (dlam is overwritten at every step instead of summed over the steps) is still there",
    "clip": "bug 4 (each gradient array is clipped by its own norm, not all by their total norm) "
            "is still there",
}


def _tbptt(ids, params, lr, seq_len, max_norm, bugs=()):
    """The debugging task's reference in NumPy, with its planted bugs as switches."""
    E, lam, Wy, by = (np.array(p, dtype=np.float64) for p in params)
    H = lam.shape[0]
    h = np.zeros(H)
    losses = []
    for s in range(0, len(ids) - seq_len, seq_len):
        x = ids[s:s + seq_len]
        y = ids[s:s + seq_len] if "targets" in bugs else ids[s + 1:s + seq_len + 1]
        hs = np.empty((seq_len + 1, H))
        hs[0] = h
        for t in range(seq_len):
            hs[t + 1] = lam * hs[t] + E[x[t]]
        logits = hs[1:] @ Wy + by                                   # (T, V)
        z = logits - logits.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        rows = np.arange(seq_len)
        losses.append(float(-logp[rows, y].mean()))
        dlogits = np.exp(logp)
        dlogits[rows, y] -= 1.0
        dlogits /= seq_len
        dWy, dby = hs[1:].T @ dlogits, dlogits.sum(axis=0)
        dE, dlam, dh_next = np.zeros_like(E), np.zeros_like(lam), np.zeros(H)
        for t in reversed(range(seq_len)):
            dh = dlogits[t] @ Wy.T + (0.0 if "chain" in bugs else dh_next)
            dlam = dh * hs[t] if "sum" in bugs else dlam + dh * hs[t]
            dE[x[t]] += dh
            dh_next = dh * lam
        grads = [dE, dlam, dWy, dby]
        if "clip" in bugs:
            grads = [g * min(1.0, max_norm / (math.sqrt(float(np.sum(g ** 2))) + 1e-6)) for g in grads]
        else:
            total = math.sqrt(sum(float(np.sum(g ** 2)) for g in grads))
            grads = [g * min(1.0, max_norm / (total + 1e-6)) for g in grads]
        E, lam, Wy, by = (p - lr * g for p, g in zip((E, lam, Wy, by), grads))
        h = hs[-1]
    return [E, lam, Wy, by], losses


def _torch_tbptt(ids, params, lr, seq_len, max_norm):
    """The oracle: the same training with autograd, torch's cross_entropy and clip_grad_norm_."""
    ps = [_t(p).requires_grad_() for p in params]
    E, lam, Wy, by = ps
    opt = torch.optim.SGD(ps, lr=lr)
    ids_t = torch.from_numpy(np.asarray(ids, dtype=np.int64))
    h = torch.zeros(lam.shape[0], dtype=torch.float64)
    losses = []
    for s in range(0, len(ids) - seq_len, seq_len):
        x, y = ids_t[s:s + seq_len], ids_t[s + 1:s + seq_len + 1]
        h = h.detach()                                  # truncated BPTT: the value goes on, the gradient stops
        states = []
        for t in range(seq_len):
            h = lam * h + E[x[t]]
            states.append(h)
        loss = torch.nn.functional.cross_entropy(torch.stack(states) @ Wy + by, y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(ps, max_norm)
        opt.step()
        losses.append(loss.item())
    return [p.detach().numpy().copy() for p in ps], losses


def trained(rtol=1e-7, atol=1e-10):
    """``(params, losses)``: four arrays shaped like the inputs, and one loss per window."""
    tol = close(rtol=rtol, atol=atol)
    names = ("E", "lam", "Wy", "by")

    def compare(got, expected):
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return f"expected a tuple (params, losses), got {describe(got)}"
        params, losses = got
        want, want_losses = expected
        if not isinstance(params, (tuple, list)) or len(params) != 4:
            return f"params: expected a list of the 4 trained arrays [E, lam, Wy, by], got {describe(params)}"
        problem = close(rtol=rtol, atol=atol, dtype=None)(losses, np.asarray(want_losses))
        if problem is not None:
            return f"losses (one per window): {problem}"
        for name, p, w in zip(names, params, want):
            problem = tol(p, w)
            if problem is not None:
                return f"the trained {name}: {problem}"
        return None

    return compare


@task("train_tbptt_fixed")
def train_tbptt_fixed_cases(rng, hidden):
    from itertools import combinations

    compare = trained()

    def case(label, V, H, n_ids, seq_len, lr, max_norm, **kw):
        ids = rng.integers(0, V, size=n_ids)
        params = [rng.normal(scale=0.8, size=(V, H)), rng.uniform(0.5, 0.95, size=H),
                  rng.normal(scale=0.8, size=(H, V)), rng.normal(scale=0.2, size=V)]
        args = (ids, params, float(lr), int(seq_len), float(max_norm))
        exp = _torch_tbptt(*args)
        subsets = [c for k in range(1, len(TBPTT_BUGS) + 1) for c in combinations(TBPTT_BUGS, k)]
        bugs = {" and ".join(TBPTT_BUGS[b].replace(" is still there", "") for b in sub)
                + (" are still there" if len(sub) > 1 else " is still there"): _tbptt(*args, bugs=sub)
                for sub in subsets}
        bugs = {k: v for k, v in bugs.items() if compare(v, exp) is not None}
        return Case("train_tbptt_fixed", label, args, exp, compare, bugs=bugs, **kw)

    if not hidden:
        return [case("4 characters, H = 3, 25 ids in windows of 4 (6 windows), lr 0.5, max_norm 0.3",
                     4, 3, 25, 4, 0.5, 0.3),
                case("6 characters, H = 5, 40 ids in windows of 6, lr 1, max_norm 0.2", 6, 5, 40, 6, 1.0, 0.2)]
    return [case("random sizes", int(rng.integers(3, 9)), int(rng.integers(2, 7)), int(rng.integers(30, 60)),
                 int(rng.integers(3, 9)), float(rng.uniform(0.3, 1.0)), float(rng.uniform(0.1, 0.3)), weight=2),
            case("a text that is not a whole number of windows", int(rng.integers(3, 9)), 4,
                 int(rng.integers(5, 8)) * 7 + 3, 7, 0.5, 0.25),
            case("windows of 10 steps (long chains of states)", 5, int(rng.integers(2, 7)), 61, 10, 0.5, 0.2)]
