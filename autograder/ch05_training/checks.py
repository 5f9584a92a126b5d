"""Checks of ``ch05_training``: what each graded function must do, and how it is tested.

The four NumPy answers run with torch hidden; their oracles run here, in the
grader, with torch:

- ``sgd_momentum_step`` and ``adam_step``: ``torch.optim.SGD`` and
  ``torch.optim.Adam`` in float64, fed the gradients of several steps. A case
  hands the student the state torch holds before one step of such a chain
  (``momentum_buffer``; ``exp_avg``, ``exp_avg_sq`` and the step count) and
  expects the state torch holds after it, so the buffer semantics and the
  step count ``t`` are PyTorch's. Long chains start from a state written
  into the optimizer, so large ``t`` costs one step.
- ``dropout_forward`` is random: it is checked by properties, never against
  one sequence of random numbers. Through ``probe="call_twice"`` (two calls
  with generators in the same state) the answer must return the same thing
  twice, so it draws from ``rng`` only; ``out`` must be ``X * mask / (1 - p)``
  up to rounding, ``mask`` all 0 and 1, and the fraction kept close to
  ``1 - p`` by a Hoeffding bound that a correct answer misses with probability
  under 1e-9 per case. A :class:`DropoutLaw` says what the answer must satisfy;
  the laws that classic bugs satisfy instead name them in the feedback.
- ``batchnorm_forward``: ``torch.nn.functional.batch_norm(training=True)`` in
  float64; ``batchnorm_backward``: autograd through it, in float64.
- ``adamw_step``: ``torch.optim.AdamW`` in float64, like ``adam_step``.

``train_one_epoch`` and ``evaluate`` are torch answers. A case is a
description of a run (seed, layer sizes, data, batch size, optimizer, dropout
or batch norm, starting mode), which ``probes.py`` turns into a model, a
loader and an optimizer, both in the sandbox (for the student's function) and
here (for :func:`reference_train_one_epoch` and :func:`reference_evaluate`).
What comes back is the return value, ``model.training`` afterwards, the
model's parameters and running statistics, and, for ``evaluate``, whether a
forward pass ran with gradients enabled. The reference functions take
switches that reproduce the classic bugs, for the feedback.

``train_with_early_stopping`` is the debugging task: the release hands the
student a loop with four planted bugs (:data:`PLANTED`) to return fixed. Its
reference :func:`reference_train_with_early_stopping` has one switch per
planted bug, and every case names, for each non-empty set of planted bugs
still present, the value that set gives; the cases are built so that the
provided loop (all four bugs) fails every one of them, and each bug alone
fails at least the cases with dropout or batch norm (all of them).
"""

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from nncourse.grading import wire
from nncourse.grading.checks import Assignment, Case, Rng, close, describe, known_bugs, load_probes, passes, sequence

ASSIGNMENT = Assignment("ch05_training", forbid=("torch",),
                        torch_tasks=("train_one_epoch", "evaluate", "train_with_early_stopping"),
                        probes="probes.py")
task = ASSIGNMENT.task
PROBES = load_probes(__file__)


def _rand_shape(rng, ndim=None):
    ndim = ndim or int(rng.integers(1, 3))
    return tuple(int(rng.integers(2, 7)) for _ in range(ndim))


# ---------------------------------------------------------------- optimisers
def _torch_steps(opt_class, w0, grads, state0=None, **hyper):
    """Run ``opt_class([w], **hyper)`` in float64 with the gradients ``grads``, one step each,
    starting from the optimizer state ``state0`` (a dict of arrays) if given. Returns the
    ``(w, state)`` snapshots: before the first step and after each step."""
    w = torch.tensor(np.array(w0, dtype=np.float64), requires_grad=True)
    opt = opt_class([w], **hyper)
    if state0:
        opt.state[w].update({k: torch.tensor(np.asarray(v, dtype=np.float64)) for k, v in state0.items()})

    def snapshot():
        st = {k: v.detach().numpy().copy() for k, v in opt.state[w].items() if torch.is_tensor(v)}
        return w.detach().numpy().copy(), st

    snaps = [snapshot()]
    for g in grads:
        w.grad = torch.tensor(np.asarray(g, dtype=np.float64))
        opt.step()
        snaps.append(snapshot())
    return snaps


def _sgd_numpy(w, g, buf, lr, mu, lr_in_buffer=False, old_buffer=False, dampening=False, ascent=False,
               nesterov=False):
    """SGD with momentum, with switches for the classic mistakes (feedback only)."""
    new_buf = mu * buf + (lr * g if lr_in_buffer else (1 - mu) * g if dampening else g)
    step = (buf if old_buffer else new_buf) * (1.0 if lr_in_buffer else lr)
    if nesterov:
        step = lr * (g + mu * new_buf)
    return (w + step if ascent else w - step), new_buf


@task("sgd_momentum_step")
def sgd_momentum_cases(rng, hidden):
    tol = close(rtol=1e-10, atol=1e-13)
    compare = sequence(tol, tol, names=("w", "buf"))

    def case(label, shape, steps, lr, mu, scale=1.0, **kw):
        """The last of ``steps`` chained steps, the gradients random."""
        w0 = rng.normal(size=shape)
        grads = [rng.normal(scale=scale, size=shape) for _ in range(steps)]
        snaps = _torch_steps(torch.optim.SGD, w0, grads, lr=lr, momentum=mu)
        (w, st), (w_new, st_new) = snaps[-2], snaps[-1]
        g = grads[-1]
        # torch keeps no buffer without momentum (or before the first step): then buf is 0 * buf + g
        buf = st.get("momentum_buffer", np.zeros(shape) if steps == 1 else grads[-2])
        buf_new = st_new.get("momentum_buffer", g)
        expected = (w_new, buf_new)
        bugs = known_bugs(expected, passes(compare), **{
            "the buffer holds steps, not gradients (buf = momentum * buf + lr * g; w = w - buf): "
            "PyTorch's buffer is momentum * buf + g, and w moves by lr * buf":
                _sgd_numpy(w, g, buf, lr, mu, lr_in_buffer=True),
            "w moves along the old buffer (update buf first, then w = w - lr * buf_new)":
                _sgd_numpy(w, g, buf, lr, mu, old_buffer=True),
            "the gradient is damped (buf = momentum * buf + (1 - momentum) * g); PyTorch's default "
            "dampening is 0": _sgd_numpy(w, g, buf, lr, mu, dampening=True),
            "w moves up the gradient (w + lr * buf instead of w - lr * buf)":
                _sgd_numpy(w, g, buf, lr, mu, ascent=True),
            "this is Nesterov momentum (w - lr * (g + momentum * buf)), not plain momentum":
                _sgd_numpy(w, g, buf, lr, mu, nesterov=True),
        })
        return Case("sgd_momentum_step", label, (w, g, buf, lr, mu), expected, compare, bugs=bugs, **kw)

    if not hidden:
        return [case("the first step (buf all zeros): w (4,), lr 0.1, momentum 0.9", (4,), 1, 0.1, 0.9),
                case("the 4th step of a chain: buf is torch.optim.SGD's momentum_buffer after 3 steps; "
                     "w (3, 5), lr 0.05, momentum 0.9", (3, 5), 4, 0.05, 0.9),
                case("momentum 0 (plain SGD: the new buf is g), the 3rd step, w (6,)", (6,), 3, 0.2, 0.0)]
    return [case("a random step of a chain (2 to 30 steps), random shapes, lr and momentum",
                 _rand_shape(rng), int(rng.integers(2, 31)), float(rng.uniform(0.005, 0.3)),
                 float(rng.uniform(0.5, 0.99)), weight=2),
            case("momentum 0.99 after 50 steps (a long memory)", _rand_shape(rng, 2), 50, 0.01, 0.99),
            case("a 3-d array, 5 steps", _rand_shape(rng, 3), 5, float(rng.uniform(0.01, 0.5)), 0.9),
            case("large gradients (|g| about 1e3), 8 steps", _rand_shape(rng), 8, 1e-4, 0.8, scale=1e3)]


def _adam_numpy(w, g, m, v, t, lr, b1, b2, eps, correct_m=True, correct_v=True, t_shift=0,
                eps_inside=False, return_hats=False):
    """Adam, with switches for the classic mistakes (feedback only)."""
    m_new = b1 * m + (1 - b1) * g
    v_new = b2 * v + (1 - b2) * g * g
    t = t + t_shift
    m_hat = m_new / (1 - b1 ** t) if correct_m else m_new
    v_hat = v_new / (1 - b2 ** t) if correct_v else v_new
    denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
    w_new = w - lr * m_hat / denom
    return (w_new, m_hat, v_hat) if return_hats else (w_new, m_new, v_new)


ADAM_DEFAULTS = dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)


@task("adam_step")
def adam_cases(rng, hidden):
    tol = close(rtol=1e-10, atol=1e-13)
    compare = sequence(tol, tol, tol, names=("w", "m", "v"))

    def case(label, shape, t, scale=1.0, hyper=None, state_from=None, **kw):
        """Step ``t``: a chain from zeros, or from a state written into torch.optim.Adam
        at step ``state_from`` (for large t); ``hyper`` are keyword arguments of the call."""
        h = {**ADAM_DEFAULTS, **(hyper or {})}
        w0 = rng.normal(size=shape)
        state0, start = None, 0
        if state_from is not None:
            start = state_from
            state0 = {"step": float(start), "exp_avg": rng.normal(scale=0.1 * scale, size=shape),
                      "exp_avg_sq": rng.uniform(0.2, 2.0, size=shape) * scale ** 2}
        grads = [rng.normal(scale=scale, size=shape) for _ in range(t - start)]
        snaps = _torch_steps(torch.optim.Adam, w0, grads, state0, lr=h["lr"],
                             betas=(h["beta1"], h["beta2"]), eps=h["eps"])
        (w, st), (w_new, st_new) = snaps[-2], snaps[-1]
        g = grads[-1]
        m, v = st.get("exp_avg", np.zeros(shape)), st.get("exp_avg_sq", np.zeros(shape))
        expected = (w_new, st_new["exp_avg"], st_new["exp_avg_sq"])
        assert int(st_new["step"]) == t
        args = (w, g, m, v, t, h["lr"], h["beta1"], h["beta2"], h["eps"])
        bugs = known_bugs(expected, passes(compare), **{
            "there is no bias correction (m and v are used without dividing by 1 - beta ** t)":
                _adam_numpy(*args, correct_m=False, correct_v=False),
            "only m is bias-corrected (v_hat = v / (1 - beta2 ** t) is missing)":
                _adam_numpy(*args, correct_v=False),
            "only v is bias-corrected (m_hat = m / (1 - beta1 ** t) is missing)":
                _adam_numpy(*args, correct_m=False),
            "the bias correction uses t + 1: t already counts from 1": _adam_numpy(*args, t_shift=1),
            "the bias correction uses t - 1: t already counts from 1":
                _adam_numpy(*args, t_shift=-1) if t > 1 else None,
            "eps is added inside the square root (sqrt(v_hat + eps) instead of sqrt(v_hat) + eps)":
                _adam_numpy(*args, eps_inside=True),
            "the bias-corrected m_hat and v_hat are returned instead of m and v (the state must stay "
            "uncorrected)": _adam_numpy(*args, return_hats=True),
            "beta1 and beta2 are swapped": _adam_numpy(w, g, m, v, t, h["lr"], h["beta2"], h["beta1"], h["eps"]),
        })
        kwargs = dict(hyper or {})
        return Case("adam_step", label, (w, g, m, v, t), expected, compare, kwargs=kwargs, bugs=bugs, **kw)

    if not hidden:
        return [case("the first step (t = 1, m = v = 0), default lr, betas and eps: every weight moves by "
                     "about lr", (5,), 1),
                case("step t = 2, lr 0.1: m and v from torch.optim.Adam after one step", (3, 2), 2,
                     hyper=dict(lr=0.1)),
                case("step t = 5 of a chain, lr 0.01, betas (0.8, 0.99), eps 1e-6", (4,), 5,
                     hyper=dict(lr=0.01, beta1=0.8, beta2=0.99, eps=1e-6)),
                case("small gradients (|g| about 1e-6), t = 3: eps matters", (6,), 3, scale=1e-6,
                     hyper=dict(lr=0.01)),
                case("step t = 1000 (1 - beta2 ** t is still about 0.63), lr 0.01", (3,), 1000,
                     hyper=dict(lr=0.01), state_from=999)]
    shape, big = _rand_shape(rng), int(rng.integers(1000, 4000))
    return [case("a random early step (t = 1 to 4: the bias correction is large), random shapes and lr",
                 shape, int(rng.integers(1, 5)), hyper=dict(lr=float(rng.uniform(1e-3, 0.1))), weight=2),
            case("a step t between 10 and 60 of a chain, default hyperparameters", _rand_shape(rng),
                 int(rng.integers(10, 61))),
            case("random betas and eps given by keyword", _rand_shape(rng), int(rng.integers(2, 8)),
                 hyper=dict(lr=float(rng.uniform(1e-3, 0.05)), beta1=float(rng.uniform(0.5, 0.95)),
                            beta2=float(rng.uniform(0.9, 0.9999)), eps=float(10 ** rng.uniform(-7, -4)))),
            case("small gradients (|g| about 1e-7 to 1e-5): eps matters", _rand_shape(rng),
                 int(rng.integers(1, 6)), scale=float(10 ** rng.uniform(-7, -5)), hyper=dict(lr=0.01)),
            case("a large step count t (1e3 to 4e3), a 3-d array", _rand_shape(rng, 3), big,
                 hyper=dict(lr=0.01), state_from=big - 1)]


def _adamw_numpy(w, g, m, v, t, lr, b1, b2, eps, wd, l2=False, no_lr=False, after=False, ignore=False,
                 **adam_bugs):
    """AdamW, with switches for the classic mistakes (feedback only)."""
    if ignore:
        return _adam_numpy(w, g, m, v, t, lr, b1, b2, eps, **adam_bugs)
    if l2:
        return _adam_numpy(w, g + wd * w, m, v, t, lr, b1, b2, eps, **adam_bugs)
    if after:
        w_new, m_new, v_new = _adam_numpy(w, g, m, v, t, lr, b1, b2, eps, **adam_bugs)
        return w_new * (1 - lr * wd), m_new, v_new
    return _adam_numpy(w * (1 - (wd if no_lr else lr * wd)), g, m, v, t, lr, b1, b2, eps, **adam_bugs)


ADAMW_DEFAULTS = dict(ADAM_DEFAULTS, weight_decay=1e-2)


@task("adamw_step")
def adamw_cases(rng, hidden):
    tol = close(rtol=1e-10, atol=1e-13)
    compare = sequence(tol, tol, tol, names=("w", "m", "v"))

    def case(label, shape, t, scale=1.0, w_scale=1.0, hyper=None, state_from=None, **kw):
        """Step ``t`` of torch.optim.AdamW: a chain from zeros, or from a written state (large t)."""
        h = {**ADAMW_DEFAULTS, **(hyper or {})}
        w0 = rng.normal(scale=w_scale, size=shape)
        state0, start = None, 0
        if state_from is not None:
            start = state_from
            state0 = {"step": float(start), "exp_avg": rng.normal(scale=0.1 * scale, size=shape),
                      "exp_avg_sq": rng.uniform(0.2, 2.0, size=shape) * scale ** 2}
        grads = [rng.normal(scale=scale, size=shape) for _ in range(t - start)]
        snaps = _torch_steps(torch.optim.AdamW, w0, grads, state0, lr=h["lr"], betas=(h["beta1"], h["beta2"]),
                             eps=h["eps"], weight_decay=h["weight_decay"])
        (w, st), (w_new, st_new) = snaps[-2], snaps[-1]
        g = grads[-1]
        m, v = st.get("exp_avg", np.zeros(shape)), st.get("exp_avg_sq", np.zeros(shape))
        expected = (w_new, st_new["exp_avg"], st_new["exp_avg_sq"])
        args = (w, g, m, v, t, h["lr"], h["beta1"], h["beta2"], h["eps"], h["weight_decay"])
        bugs = known_bugs(expected, passes(compare), **{
            "the weight decay is added to the gradient (g + weight_decay * w): that is Adam with an L2 "
            "penalty, torch.optim.Adam(weight_decay=...), which Adam then rescales; AdamW decays w itself":
                _adamw_numpy(*args, l2=True),
            "the decay is not multiplied by lr (w * (1 - weight_decay) instead of w * (1 - lr * weight_decay))":
                _adamw_numpy(*args, no_lr=True),
            "the decay is applied after the Adam update (decay w first, then take the Adam step)":
                _adamw_numpy(*args, after=True),
            "weight_decay is ignored (this is the plain Adam step)": _adamw_numpy(*args, ignore=True),
            "there is no bias correction (m and v are used without dividing by 1 - beta ** t)":
                _adamw_numpy(*args, correct_m=False, correct_v=False),
            "eps is added inside the square root (sqrt(v_hat + eps) instead of sqrt(v_hat) + eps)":
                _adamw_numpy(*args, eps_inside=True),
            "the default weight decay 1e-2 is used whatever weight_decay is given":
                _adamw_numpy(*args[:-1], 1e-2) if "weight_decay" in (hyper or {}) else None,
        })
        return Case("adamw_step", label, (w, g, m, v, t), expected, compare, kwargs=dict(hyper or {}), bugs=bugs,
                    **kw)

    if not hidden:
        return [case("the first step (t = 1, m = v = 0), default lr, betas, eps and weight_decay 1e-2", (5,), 1),
                case("step t = 3 of a chain, lr 0.05, weight_decay 0.1 by keyword", (3, 2), 3,
                     hyper=dict(lr=0.05, weight_decay=0.1)),
                case("large weights (|w| about 10) and small gradients, t = 2, lr 0.01, weight_decay 0.5: the "
                     "decay is a large part of the step", (4,), 2, scale=1e-3, w_scale=10.0,
                     hyper=dict(lr=0.01, weight_decay=0.5)),
                case("weight_decay 0: the Adam step", (6,), 4, hyper=dict(lr=0.02, weight_decay=0.0)),
                case("step t = 1000, lr 0.01, betas (0.8, 0.99), weight_decay 0.05", (3,), 1000,
                     hyper=dict(lr=0.01, beta1=0.8, beta2=0.99, weight_decay=0.05), state_from=999)]
    big = int(rng.integers(1000, 4000))
    return [case("a random early step (t = 1 to 4), random shape, lr and weight_decay", _rand_shape(rng),
                 int(rng.integers(1, 5)), w_scale=float(rng.uniform(1, 10)),
                 hyper=dict(lr=float(rng.uniform(1e-3, 0.1)), weight_decay=float(rng.uniform(0.01, 0.5))),
                 weight=2),
            case("a step t between 10 and 60 of a chain, default hyperparameters", _rand_shape(rng),
                 int(rng.integers(10, 61))),
            case("random betas, eps and weight_decay given by keyword", _rand_shape(rng), int(rng.integers(2, 8)),
                 hyper=dict(lr=float(rng.uniform(1e-3, 0.05)), beta1=float(rng.uniform(0.5, 0.95)),
                            beta2=float(rng.uniform(0.9, 0.9999)), eps=float(10 ** rng.uniform(-7, -4)),
                            weight_decay=float(rng.uniform(0.05, 1.0)))),
            case("large weights and tiny gradients: the decay dominates", _rand_shape(rng), int(rng.integers(1, 6)),
                 scale=1e-4, w_scale=20.0, hyper=dict(lr=0.01, weight_decay=float(rng.uniform(0.1, 1.0)))),
            case("a large step count t (1e3 to 4e3), a 3-d array", _rand_shape(rng, 3), big,
                 hyper=dict(lr=0.01, weight_decay=0.1), state_from=big - 1)]


# ---------------------------------------------------------------- dropout
@dataclass(frozen=True)
class DropoutLaw:
    """What ``dropout_forward(X, p, rng, train)`` must satisfy (or what a bug satisfies).

    ``identity``: ``out`` is ``X`` and ``mask`` all ones. Otherwise a fraction ``keep`` of
    the entries is kept, ``out = X * kept * scale`` with ``kept`` the returned mask, or its
    complement when ``mask_means_dropped``.
    """

    X: np.ndarray
    identity: bool = False
    keep: float = 1.0
    scale: float = 1.0
    mask_means_dropped: bool = False


# A correct answer misses the kept-fraction bound with probability at most DELTA per case
# (Hoeffding: P(|fraction - (1 - p)| >= t) <= 2 exp(-2 n t^2), for any n and p).
DELTA = 1e-9
# out = X * mask / (1 - p) "exactly": X / (1 - p) * mask or X * mask * (1 / (1 - p)) round
# differently, by a unit or two in the last place; 8 units of float64 allow for that.
ULPS = 8 * np.finfo(np.float64).eps


def hoeffding_margin(n: int, delta: float = DELTA) -> float:
    return math.sqrt(math.log(2 / delta) / (2 * n))


def dropout_result(got, law: DropoutLaw):
    """Compare what ``probe="call_twice"`` reports, ``((out, mask), (out, mask))``, with a law."""
    X = law.X
    if not isinstance(got, tuple) or len(got) != 2:
        return f"the call did not report two results (got {describe(got)})"
    pairs = []
    for res in got:
        if not isinstance(res, (tuple, list)) or len(res) != 2:
            return f"expected a tuple (out, mask), got {describe(res)}"
        out, mask = res
        for name, a in (("out", out), ("mask", mask)):
            if not isinstance(a, np.ndarray):
                return f"{name}: expected a NumPy array of shape {X.shape}, got {describe(a)}"
            if a.shape != X.shape:
                return f"{name}: wrong shape: got {a.shape}, expected {X.shape} (the shape of X)"
        if out.dtype != np.float64:
            return f"out: wrong dtype: got {out.dtype}, expected float64"
        if not (mask.dtype == bool or np.issubdtype(mask.dtype, np.number)):
            return f"mask: wrong dtype {mask.dtype}, expected numbers (or booleans)"
        if not np.isin(mask, (0, 1)).all():
            return "mask: every entry must be 0 or 1"
        pairs.append((out, mask.astype(np.float64)))
    (out, mask), (out2, mask2) = pairs
    if not (np.array_equal(out, out2) and np.array_equal(mask, mask2)):
        return ("two calls with generators in the same state returned different results: draw the random "
                "numbers from rng (the argument), not from np.random or a new generator")
    if law.identity:
        if not np.array_equal(out, X):
            return "out must equal X (dropout is the identity in eval mode and for p = 0)"
        if not (mask == 1).all():
            return "mask must be all ones (nothing is dropped in eval mode or for p = 0)"
        return None
    kept = 1.0 - mask if law.mask_means_dropped else mask
    want = X * kept * law.scale
    err = np.abs(out - want)
    if (err > ULPS * np.abs(want)).any():
        return ("out is not X * mask / (1 - p) for the returned mask "
                f"(max abs error {float(err.max()):.3g} in {int((err > ULPS * np.abs(want)).sum())} "
                f"of {X.size} entries)")
    frac, margin = float(kept.mean()), hoeffding_margin(X.size)
    if abs(frac - law.keep) > margin:
        return (f"the mask keeps a fraction {frac:.4f} of the entries; expected 1 - p = {law.keep:.4f} "
                f"(within {margin:.4f}: each entry is kept with probability 1 - p)")
    if X.ndim == 2 and min(X.shape) >= 20 and 0 < frac < 1:
        if (mask == mask[:1]).all() or (mask == mask[:, :1]).all():
            return ("every row (or every column) has the same mask: draw one random number per entry "
                    "of X, rng.random(X.shape)")
    return None


@task("dropout_forward")
def dropout_cases(rng, hidden):
    def case(label, X, p, train=True, **kw):
        law = DropoutLaw(X, identity=True) if (not train or p == 0) else DropoutLaw(X, keep=1 - p, scale=1 / (1 - p))
        bugs = {}
        if p > 0:
            trained = DropoutLaw(X, keep=1 - p, scale=1 / (1 - p))
            bugs = {"dropout is applied in eval mode (train=False must give out = X)": trained} if not train else {
                "the kept values are scaled by (1 - p) instead of divided by it": DropoutLaw(X, keep=1 - p,
                                                                                            scale=1 - p),
                "the kept values are not scaled (inverted dropout divides them by 1 - p)":
                    DropoutLaw(X, keep=1 - p),
                "mask is 1 where a unit is dropped; it must be 1 where a unit is kept":
                    DropoutLaw(X, keep=1 - p, scale=1 / (1 - p), mask_means_dropped=True),
                "p is used as the probability of keeping a unit; it is the probability of dropping it":
                    DropoutLaw(X, keep=p, scale=1 / p),
                "p is used as the probability of keeping a unit (and out divided by 1 - p)":
                    DropoutLaw(X, keep=p, scale=1 / (1 - p)),
            }
        return Case("dropout_forward", label, (X, p, Rng(int(rng.integers(2**31)))), law, dropout_result,
                    kwargs={} if train else {"train": False}, bugs=bugs, probe="call_twice", **kw)

    if not hidden:
        return [case("p = 0.3 on X (400, 250): out = X * mask / 0.7, about 70% kept", rng.normal(size=(400, 250)),
                     0.3),
                case("p = 0.8 on X (300, 100) + 2: about 20% kept", rng.normal(size=(300, 100)) + 2.0, 0.8),
                case("eval mode (train=False), p = 0.5: out = X, mask all ones", rng.normal(size=(50, 40)), 0.5,
                     train=False),
                case("p = 0 in training mode: out = X, mask all ones", rng.normal(size=(30, 20)), 0.0),
                case("a small X (3, 4), p = 0.25", rng.normal(size=(3, 4)), 0.25)]
    p = float(rng.choice([rng.uniform(0.1, 0.4), rng.uniform(0.6, 0.9)]))
    shape = (int(rng.integers(200, 500)), int(rng.integers(100, 300)))
    return [case("random p away from 0.5, random X (N, D) with about 50,000 entries or more",
                 rng.normal(size=shape), p, weight=2),
            case("eval mode with a random p", rng.normal(size=(int(rng.integers(20, 80)), 30)),
                 float(rng.uniform(0.1, 0.9)), train=False),
            case("p = 0 in training mode, a 3-d array", rng.normal(size=(4, 5, 6)), 0.0),
            case("a 3-d array (N, C, L), p = 0.2", rng.normal(size=(20, 40, 60)), 0.2),
            case("p = 0.9, X with exact zeros", np.where(rng.random((300, 200)) < 0.3, 0.0,
                                                        rng.normal(size=(300, 200))), 0.9)]


# ---------------------------------------------------------------- batch norm
def _torch_batchnorm(X, gamma, beta, eps):
    t = lambda a: torch.tensor(np.asarray(a, dtype=np.float64))  # noqa: E731
    return F.batch_norm(t(X), None, None, weight=t(gamma), bias=t(beta), training=True, eps=eps).numpy()


def _batchnorm_numpy(X, gamma, beta, eps, ddof=0, eps_outside=False, axis=0, affine=True):
    """Batch norm with switches for the classic mistakes (feedback only)."""
    mu = X.mean(axis=axis, keepdims=True)
    var = X.var(axis=axis, ddof=ddof, keepdims=True)
    X_hat = (X - mu) / (np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps))
    return gamma * X_hat + beta if affine else X_hat


@task("batchnorm_forward")
def batchnorm_cases(rng, hidden):
    compare = close(rtol=1e-8, atol=1e-10)

    def case(label, X, gamma, beta, eps=None, **kw):
        X, gamma, beta = (np.asarray(a, dtype=np.float64) for a in (X, gamma, beta))
        e = 1e-5 if eps is None else eps
        expected = _torch_batchnorm(X, gamma, beta, e)
        with np.errstate(all="ignore"):
            bugs = known_bugs(expected, passes(compare), **{
                "the variance is unbiased (divided by N - 1); batch norm uses the biased one (divided by N)":
                    _batchnorm_numpy(X, gamma, beta, e, ddof=1) if len(X) > 1 else None,
                "eps is added outside the square root (sqrt(var) + eps instead of sqrt(var + eps))":
                    _batchnorm_numpy(X, gamma, beta, e, eps_outside=True),
                "the statistics are taken over axis 1 (each sample) instead of axis 0 (each feature, over the "
                "batch)": _batchnorm_numpy(X, gamma, beta, e, axis=1),
                "gamma and beta are not applied (return gamma * X_hat + beta)":
                    _batchnorm_numpy(X, gamma, beta, e, affine=False),
                "eps is ignored (the default 1e-5 is used whatever eps is given)":
                    _batchnorm_numpy(X, gamma, beta, 1e-5) if eps is not None else None,
            })
        return Case("batchnorm_forward", label, (X, gamma, beta), expected, compare,
                    kwargs={} if eps is None else {"eps": eps}, bugs=bugs, **kw)

    def rand(N, D, loc=0.0, scale=1.0):
        return (rng.normal(loc, scale, size=(N, D)), rng.normal(1.0, 0.5, size=D), rng.normal(size=D))

    if not hidden:
        Xc, g, b = rand(6, 4, loc=3.0, scale=5.0)
        Xc[:, 2] = 1.5
        return [case("random X (8, 3) far from mean 0 and std 1, random gamma and beta", *rand(8, 3, 3.0, 5.0)),
                case("a batch of two samples (N = 2)", *rand(2, 5)),
                case("a feature that is constant over the batch (its variance is 0: eps matters)", Xc, g, b),
                case("eps = 0.1 given by keyword, small variances", *rand(10, 4, scale=0.3), eps=0.1),
                case("gamma = 1, beta = 0: every feature of the output has mean 0 and variance 1 (almost)",
                     rng.normal(2.0, 3.0, size=(16, 5)), np.ones(5), np.zeros(5))]
    N, D = int(rng.integers(3, 40)), int(rng.integers(2, 12))
    Xc, g, b = rand(N, D, scale=2.0)
    Xc[:, rng.integers(D)] = rng.normal()
    n = int(rng.integers(3, 9))
    return [case("random N and D, random offsets and scales per feature",
                 rng.normal(rng.normal(0, 5, size=D), rng.uniform(0.1, 10, size=D), size=(N, D)),
                 rng.normal(1.0, 0.5, size=D), rng.normal(size=D), weight=2),
            case("square X (N = D): axis mistakes keep the shape", *rand(n, n, scale=2.0)),
            case("a constant feature (variance 0)", Xc, g, b),
            case("a small batch (N = 3 to 4)", *rand(int(rng.integers(3, 5)), D)),
            case("eps given by keyword (1e-3 to 1), small variances", *rand(12, D, scale=0.05),
                 eps=float(10 ** rng.uniform(-3, 0)))]


def _torch_batchnorm_backward(dout, X, gamma, eps):
    t = [torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in (X, gamma)]
    beta = torch.zeros(X.shape[1], dtype=torch.float64, requires_grad=True)
    Y = F.batch_norm(t[0], None, None, weight=t[1], bias=beta, training=True, eps=eps)
    Y.backward(torch.tensor(dout))
    return t[0].grad.numpy(), t[1].grad.numpy(), beta.grad.numpy()


def _bn_backward_numpy(dout, X, gamma, eps, mean_path=True, var_path=True, ddof=0, swap=False, raw_x=False,
                       no_gamma=False, mean_params=False, eps_outside=False):
    """batchnorm_backward with switches for the classic mistakes (feedback only)."""
    N = X.shape[0]
    mu = X.mean(axis=0)
    var = X.var(axis=0, ddof=ddof)
    std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
    X_hat = (X - mu) / std
    dX_hat = dout if no_gamma else dout * gamma
    dX = N * dX_hat
    if mean_path:
        dX = dX - dX_hat.sum(axis=0)
    if var_path:
        dX = dX - X_hat * (dX_hat * X_hat).sum(axis=0)
    dX = dX / (N * std)
    dgamma = (dout * (X if raw_x else X_hat)).sum(axis=0)
    dbeta = dout.sum(axis=0)
    if mean_params:
        dgamma, dbeta = dgamma / N, dbeta / N
    return (dX, dbeta, dgamma) if swap else (dX, dgamma, dbeta)


@task("batchnorm_backward")
def batchnorm_backward_cases(rng, hidden):
    tol = close(rtol=1e-6, atol=1e-8)
    compare = sequence(tol, tol, tol, names=("dX", "dgamma", "dbeta"))

    def case(label, X, gamma, dout=None, eps=None, **kw):
        X, gamma = np.asarray(X, dtype=np.float64), np.asarray(gamma, dtype=np.float64)
        dout = rng.normal(size=X.shape) if dout is None else np.asarray(dout, dtype=np.float64)
        e = 1e-5 if eps is None else eps
        expected = _torch_batchnorm_backward(dout, X, gamma, e)
        a = (dout, X, gamma, e)
        with np.errstate(all="ignore"):
            bugs = known_bugs(expected, passes(compare), **{
                "the batch mean and variance are treated as constants (dX = dout * gamma / sqrt(var + eps)): "
                "they depend on every sample of the batch, so dX has two more terms":
                    _bn_backward_numpy(*a, mean_path=False, var_path=False),
                "the path through the variance is missing (the term with X_hat * sum(dX_hat * X_hat))":
                    _bn_backward_numpy(*a, var_path=False),
                "the path through the mean is missing (the term with sum(dX_hat) over the batch)":
                    _bn_backward_numpy(*a, mean_path=False),
                "dgamma and dbeta are swapped (dbeta = sum of dout, dgamma = sum of dout * X_hat)":
                    _bn_backward_numpy(*a, swap=True),
                "dgamma sums dout * X instead of dout * X_hat (the standardised input)":
                    _bn_backward_numpy(*a, raw_x=True),
                "gamma is left out of dX (the gradient reaching X_hat is dout * gamma)":
                    _bn_backward_numpy(*a, no_gamma=True),
                "dgamma and dbeta are averaged over the batch: every sample adds its share, so sum them":
                    _bn_backward_numpy(*a, mean_params=True),
                "the variance is unbiased (divided by N - 1); batch norm uses the biased one":
                    _bn_backward_numpy(*a, ddof=1) if len(X) > 1 else None,
                "eps is added outside the square root": _bn_backward_numpy(*a, eps_outside=True),
            })
        return Case("batchnorm_backward", label, (dout, X, gamma), expected, compare,
                    kwargs={} if eps is None else {"eps": eps}, bugs=bugs, **kw)

    def rand(N, D, loc=0.0, scale=1.0):
        return rng.normal(loc, scale, size=(N, D)), rng.normal(1.0, 0.5, size=D)

    if not hidden:
        Xc, gc = rand(6, 4, 3.0, 5.0)
        Xc[:, 1] = -2.0
        return [case("random X (8, 3) far from mean 0 and std 1, random gamma and dout", *rand(8, 3, 3.0, 5.0)),
                case("gamma = 1 and dout = 1 everywhere: dX is 0 (adding a constant to a feature changes "
                     "nothing after the standardisation)", rng.normal(size=(5, 4)), np.ones(4),
                     dout=np.ones((5, 4))),
                case("a batch of two samples (N = 2)", *rand(2, 3)),
                case("a feature constant over the batch (variance 0: eps matters)", Xc, gc),
                case("eps = 0.1 by keyword, small variances", *rand(10, 4, scale=0.3), eps=0.1)]
    N, D = int(rng.integers(3, 40)), int(rng.integers(2, 12))
    Xc, gc = rand(N, D, scale=2.0)
    Xc[:, rng.integers(D)] = rng.normal()
    n = int(rng.integers(3, 9))
    return [case("random N and D, random offsets and scales per feature",
                 rng.normal(rng.normal(0, 5, size=D), rng.uniform(0.1, 10, size=D), size=(N, D)),
                 rng.normal(1.0, 0.5, size=D), weight=2),
            case("square X (N = D): axis mistakes keep the shape", *rand(n, n, scale=2.0)),
            case("a constant feature (variance 0)", Xc, gc),
            case("a small batch (N = 3 to 4)", *rand(int(rng.integers(3, 5)), D)),
            case("eps given by keyword (1e-3 to 1), small variances", *rand(12, D, scale=0.05),
                 eps=float(10 ** rng.uniform(-3, 0)))]


# ---------------------------------------------------------------- the training loop (torch)
def reference_train_one_epoch(model, loader, optimizer, loss_fn, zero_grad=True, train_mode=True,
                              per_batch=False, last_only=False, step_first=False):
    """One epoch; the mean loss over the samples. The switches make the classic mistakes."""
    if train_mode:
        model.train()
    total, count, batch_means = 0.0, 0, []
    for x, y in loader:
        if zero_grad:
            optimizer.zero_grad()
        loss = loss_fn(model(x), y)          # the batch mean
        if step_first:
            optimizer.step()
        loss.backward()
        if not step_first:
            optimizer.step()
        batch_means.append(loss.item())
        total += loss.item() * len(y)       # weighted by the batch size
        count += len(y)
    if last_only:
        return batch_means[-1]
    return sum(batch_means) / len(batch_means) if per_batch else total / count


def reference_evaluate(model, loader, eval_mode=True, no_grad=True, per_batch=False, as_count=False,
                       as_percent=False):
    """Accuracy over the samples, in eval mode, without gradients. The switches make mistakes."""
    if eval_mode:
        model.eval()
    correct, count, batch_acc = 0, 0, []
    with torch.set_grad_enabled(not no_grad):
        for x, y in loader:
            hits = int((model(x).argmax(dim=1) == y).sum())
            correct += hits
            count += len(y)
            batch_acc.append(hits / len(y))
    if as_count:
        return correct
    if per_batch:
        return sum(batch_acc) / len(batch_acc)
    return 100.0 * correct / count if as_percent else correct / count


def _run_probe(name, fn, description):
    return wire.decode(PROBES[name](fn, [], description, {})["value"])


class LazyBugs(dict):
    """Bug -> the value it gives, each computed only when feedback asks for it (``Case.judge``
    reads ``bugs.items()`` for wrong answers only): a bug's value is a whole training run, and
    most answers graded are right. Values the case's comparison accepts are left out."""

    def __init__(self, compare, expected, thunks):
        super().__init__(thunks)
        self._compare, self._expected = compare, expected

    def items(self):
        for bug, thunk in super().items():
            try:
                value = thunk()
                if self._compare(value, self._expected) is None:
                    continue
            except Exception:  # noqa: BLE001 - no diagnosis rather than a broken grade
                continue
            yield bug, value


def _run_case(name, reference, compare, bug_switches, label, description, **kw):
    """A case of a torch answer: the probe ``name`` runs the described run with the reference
    here, and (when feedback needs it) with every switch of ``bug_switches``."""
    expected = _run_probe(name, reference, description)
    bugs = LazyBugs(compare, expected, {
        bug: functools.partial(_run_probe, name, functools.partial(reference, **sw), description)
        for bug, sw in bug_switches.items()})
    return Case(name, label, (), expected, compare, kwargs=description, bugs=bugs, probe=name, **kw)


# float32 runs. The same operations in the same order give the same bits (the probe runs
# torch on one thread, in the sandbox and here), but an equivalent loop may round
# differently (a loss summed another way, zeroed instead of None gradients), and Adam
# divides by sqrt(v), which can magnify a rounding difference in a tiny gradient. 1e-4
# relative is about a thousand float32 roundings; every bug moves some weight by about
# lr * |gradient| or more, orders of magnitude beyond it.
STATE_TOL = close(rtol=1e-4, atol=1e-6)
LOSS_RTOL = 1e-5      # the loss: a float32 batch mean, summed in float64 or float32


def _number(value, what):
    """Why ``value`` is not a real number (a Python or NumPy float), or None."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "fiu":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = " (a tensor? convert it with .item() or float(...))" if "Tensor" in describe(value) else ""
        return f"expected {what} as a float, got {describe(value)}{hint}"
    return None


def _state(got_state, want_state, when):
    if not isinstance(got_state, list) or len(got_state) != len(want_state):
        return "the model's state could not be read"
    for k, (g, w) in enumerate(zip(got_state, want_state)):
        problem = STATE_TOL(g, w)
        if problem is not None:
            return f"the model's parameters {when} differ from the reference's (tensor #{k + 1}: {problem})"
    return None


def train_result(got, expected):
    """``(loss, model.training, state)`` after one epoch."""
    if not isinstance(got, tuple) or len(got) != 3:
        return f"the run did not report its result (got {describe(got)})"
    value, training, st = got
    problem = _number(value, "the mean loss")
    if problem:
        return problem
    if training is not True:
        return "the model is in eval mode after train_one_epoch: call model.train() before the loop"
    problem = _state(st, expected[2], "after the epoch")
    if problem:
        return problem
    v, want = float(value), expected[0]
    if not abs(v - want) <= LOSS_RTOL * abs(want):
        return f"the returned loss {v:.6g} is not the mean loss over the epoch's samples ({want:.6g})"
    return None


def evaluate_result(got, expected):
    """``(accuracy, model.training, gradients recorded, state)``."""
    if not isinstance(got, tuple) or len(got) != 4:
        return f"the run did not report its result (got {describe(got)})"
    value, training, grad_on, st = got
    problem = _number(value, "the accuracy")
    if problem:
        return problem
    if training is not False:
        return "the model is still in training mode after evaluate: call model.eval() (dropout off, batch " \
               "norm on its running statistics)"
    if grad_on:
        return "the forward passes recorded gradients: run them under torch.no_grad()"
    v, want = float(value), expected[0]
    if not abs(v - want) <= 1e-6:
        return f"the returned accuracy {v:.6g} is not the fraction of samples classified correctly ({want:.6g})"
    return _state(st, expected[3], "after evaluate (it must not change them)")


def _description(rng, N, sizes, batch, **kw):
    """A run: data X (N, D) and labels, the model and loader settings (see probes.py)."""
    assert N % batch != 0, "the last batch must be smaller"
    return dict(seed=int(rng.integers(2**31)), sizes=[int(s) for s in sizes],
                X=rng.normal(size=(N, sizes[0])).astype(np.float32),
                y=rng.integers(0, sizes[-1], size=N), batch_size=int(batch), **kw)


TRAIN_BUGS = {
    "the gradients are never cleared (optimizer.zero_grad() in every batch): they accumulate": dict(zero_grad=False),
    "the model is not put in training mode (model.train())": dict(train_mode=False),
    "the batch means are averaged, so the smaller last batch counts as much as a full one (weight each "
    "batch by its size)": dict(per_batch=True),
    "only the last batch's loss is returned": dict(last_only=True),
    "optimizer.step() is called before loss.backward()": dict(step_first=True),
}

EVAL_BUGS = {
    "the model is not put in eval mode (model.eval())": dict(eval_mode=False),
    "the forward passes record gradients (no torch.no_grad())": dict(no_grad=False),
    "the batch accuracies are averaged, so the smaller last batch counts as much as a full one":
        dict(per_batch=True),
    "the number of correct samples is returned instead of the fraction": dict(as_count=True),
    "a percentage is returned instead of a fraction": dict(as_percent=True),
}


@task("train_one_epoch")
def train_one_epoch_cases(rng, hidden):
    def case(label, description, **kw):
        return _run_case("train_one_epoch", reference_train_one_epoch, train_result, TRAIN_BUGS, label,
                         description, **kw)

    def run(N, sizes, batch, opt="sgd", lr=0.1, momentum=0.0, **kw):
        return _description(rng, N, sizes, batch, optimizer=opt, lr=lr, momentum=momentum, **kw)

    if not hidden:
        return [case("MLP 4-8-3, 50 samples in batches of 16 (the last has 2), SGD lr 0.1",
                     run(50, [4, 8, 3], 16)),
                case("MLP 5-16-4 with batch norm, starting in eval mode, 45 samples in batches of 10, Adam lr 0.01",
                     run(45, [5, 16, 4], 10, opt="adam", lr=0.01, batchnorm=True, start_eval=True)),
                case("MLP 6-12-12-3 with dropout 0.3, SGD with momentum 0.9, 70 samples in batches of 32",
                     run(70, [6, 12, 12, 3], 32, momentum=0.9, dropout=0.3))]
    B = int(rng.integers(8, 20))
    N = B * int(rng.integers(3, 7)) + int(rng.integers(2, B // 2))     # a last batch of 2 or more (batch norm)
    D, C = int(rng.integers(3, 10)), int(rng.integers(2, 6))
    return [case("random sizes and data, a small last batch, SGD with momentum, starting in eval mode",
                 run(N, [D, int(rng.integers(4, 20)), C], B, lr=float(rng.uniform(0.05, 0.3)),
                     momentum=float(rng.uniform(0.5, 0.95)), start_eval=True), weight=2),
            case("random sizes, batch norm, Adam", run(N, [D, 16, 8, C], B, opt="adam", lr=0.01, batchnorm=True)),
            case("random sizes, dropout and batch norm, starting in eval mode, Adam",
                 run(N, [D, 12, C], B, opt="adam", lr=0.005, dropout=float(rng.uniform(0.1, 0.5)),
                     batchnorm=True, start_eval=True))]


@task("evaluate")
def evaluate_cases(rng, hidden):
    def case(label, description, **kw):
        return _run_case("evaluate", reference_evaluate, evaluate_result, EVAL_BUGS, label, description, **kw)

    def run(N, sizes, batch, agree=0.7, **kw):
        return _description(rng, N, sizes, batch, use_pred=rng.random(N) < agree, **kw)

    if not hidden:
        return [case("MLP 4-8-3, 50 samples in batches of 16 (the last has 2)", run(50, [4, 8, 3], 16)),
                case("MLP 6-32-5 with dropout 0.5, in training mode before the call, 80 samples in batches of 32",
                     run(80, [6, 32, 5], 32, dropout=0.5)),
                case("MLP 5-16-4 with batch norm, in training mode before the call, 45 samples in batches of 20",
                     run(45, [5, 16, 4], 20, batchnorm=True))]
    B = int(rng.integers(8, 24))
    N = B * int(rng.integers(2, 6)) + int(rng.integers(2, B // 2))
    D, C = int(rng.integers(3, 10)), int(rng.integers(3, 8))
    return [case("random sizes and data, a small last batch", run(N, [D, 16, C], B, agree=float(rng.uniform(0.4, 0.9)))),
            case("dropout 0.5 and batch norm, in training mode before the call",
                 run(N, [D, 24, 24, C], B, dropout=0.5, batchnorm=True), weight=2),
            case("dropout, starting in eval mode", run(N, [D, 16, C], B, dropout=0.3, start_eval=True))]


# ---------------------------------------------------------------- the debugging task (torch)
def reference_train_with_early_stopping(model, train_loader, val_loader, test_loader, optimizer, loss_fn, epochs,
                                        patience, bug1=False, bug2=False, bug3=False, bug4=False):
    """Training with early stopping on the validation loss, restoring the best weights, then the
    test accuracy once. ``bug1`` .. ``bug4`` leave the planted bugs of :data:`PLANTED` in."""
    train_losses, val_losses = [], []
    best_loss, best_epoch, best_state, waited = math.inf, 0, None, 0
    if bug2:
        model.train()
    for epoch in range(1, epochs + 1):
        if not bug2:
            model.train()
        total, count = 0.0, 0
        for x, y in train_loader:
            if not bug1:
                optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
            count += len(y)
        train_losses.append(total / count)
        model.eval()
        total, count, batch_means = 0.0, 0, []
        with torch.no_grad():
            for x, y in (test_loader if bug4 else val_loader):
                batch_loss = loss_fn(model(x), y).item()
                batch_means.append(batch_loss)
                total += batch_loss * len(y)
                count += len(y)
        val_loss = sum(batch_means) / len(batch_means) if bug3 else total / count
        val_losses.append(val_loss)
        if val_loss < best_loss:
            best_loss, best_epoch, waited = val_loss, epoch, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            waited += 1
            if waited >= patience:
                break
    model.load_state_dict(best_state)
    model.eval()
    correct, count = 0, 0
    with torch.no_grad():
        for x, y in test_loader:
            correct += int((model(x).argmax(dim=1) == y).sum())
            count += len(y)
    return train_losses, val_losses, best_epoch, correct / count


PLANTED = {
    1: "the gradients are never cleared (optimizer.zero_grad() before every backward pass)",
    2: "the model is put in training mode once, before the first epoch; the validation's model.eval() is "
       "never undone, so from the second epoch on it trains with dropout off and batch norm frozen",
    3: "the validation loss is the mean of the batch means, so the smaller last batch counts as much as a "
       "full one (weight each batch by its size)",
    4: "the early stopping watches the test set (the validation loop runs over test_loader): the epoch is "
       "chosen on the data that must stay unseen",
}


def _planted_subsets():
    """Every non-empty set of planted bugs -> (feedback text, reference switches)."""
    out = {}
    keys = sorted(PLANTED)
    for mask in range(1, 2 ** len(keys)):
        present = [k for i, k in enumerate(keys) if mask >> i & 1]
        if len(present) == 1:
            text = f"planted bug {present[0]} is still there: {PLANTED[present[0]]}"
        else:
            names = ", ".join(str(k) for k in present[:-1]) + f" and {present[-1]}"
            text = f"planted bugs {names} are still there: " + "; ".join(
                f"({k}) {PLANTED[k]}" for k in present)
        out[text] = {f"bug{k}": True for k in present}
    return out


PLANTED_SUBSETS = _planted_subsets()


def _numbers(value, n=None):
    """``value`` as a float64 vector (a list, tuple or array of real numbers), or None."""
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "fiu":
        arr = value.astype(np.float64)
    elif isinstance(value, (list, tuple)) and all(
            (isinstance(v, (int, float)) and not isinstance(v, bool))
            or (isinstance(v, np.ndarray) and v.shape == () and v.dtype.kind in "fiu") for v in value):
        arr = np.array([float(v) for v in value], dtype=np.float64)
    else:
        return None
    return arr if n is None or len(arr) == n else None


def fit_result(got, expected):
    """``((train_losses, val_losses, best_epoch, test_accuracy), state)`` after the run. Values are
    judged as values: lists, tuples or arrays of losses; the epoch any integral number."""
    if not isinstance(got, tuple) or len(got) != 2:
        return f"the run did not report its result (got {describe(got)})"
    value, st = got
    (want_train, want_val, want_best, want_acc), want_state = expected
    if not isinstance(value, (tuple, list)) or len(value) != 4:
        return (f"expected a tuple (train_losses, val_losses, best_epoch, test_accuracy), "
                f"got {describe(value)}")
    train, val, best, acc = value
    for name, got_l, want_l in (("train_losses", train, want_train), ("val_losses", val, want_val)):
        arr = _numbers(got_l)
        if arr is None:
            return f"{name}: expected a list of floats (one per epoch), got {describe(got_l)}"
        if len(arr) != len(want_l):
            return f"{name}: the run lasted {len(arr)} epochs, the reference run {len(want_l)}"
        bad = ~(np.abs(arr - want_l) <= LOSS_RTOL * np.abs(want_l))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            return (f"{name}: epoch {k + 1} gives {arr[k]:.6g}, expected {want_l[k]:.6g} (the mean loss over "
                    f"the samples)")
    problem = _number(best, "best_epoch")
    if problem:
        return problem
    if float(best) != want_best:
        return f"best_epoch is {float(best):g}, expected {want_best} (the epoch of the lowest validation loss)"
    problem = _state(st, want_state, "at the end (the best epoch's, restored)")
    if problem:
        return problem
    problem = _number(acc, "the test accuracy")
    if problem:
        return problem
    if not abs(float(acc) - want_acc) <= 1e-6:
        return f"the test accuracy {float(acc):.6g} is not that of the restored best model ({want_acc:.6g})"
    return None


def _teacher_data(rng, n, D, C, W, noise):
    """Inputs and labels from a fixed random linear teacher, with a fraction ``noise`` of random labels."""
    X = rng.normal(size=(n, D)).astype(np.float32)
    y = (X @ W).argmax(axis=1)
    flip = rng.random(n) < noise
    y[flip] = rng.integers(0, C, size=int(flip.sum()))
    return X, y


def _fit_description(rng, N, sizes, batch, val_n, val_batch, epochs, patience, noise=0.3, **kw):
    assert N % batch != 0 and val_n % val_batch != 0, "the last batches must be smaller"
    D, C = sizes[0], sizes[-1]
    W = rng.normal(size=(D, C))
    X, y = _teacher_data(rng, N, D, C, W, noise)
    Xv, yv = _teacher_data(rng, val_n, D, C, W, noise)
    n_test = val_n + (1 if (val_n + 1) % val_batch else 2)       # its last batch is smaller, too
    Xt, yt = _teacher_data(rng, n_test, D, C, W, noise)
    return dict(seed=int(rng.integers(2**31)), sizes=[int(s) for s in sizes], X=X, y=y, batch_size=int(batch),
                Xv=Xv, yv=yv, Xt=Xt, yt=yt, val_batch_size=int(val_batch), epochs=int(epochs),
                patience=int(patience), **kw)


@task("train_with_early_stopping")
def train_with_early_stopping_cases(rng, hidden):
    def case(label, description, **kw):
        return _run_case("train_with_early_stopping", reference_train_with_early_stopping, fit_result,
                         PLANTED_SUBSETS, label, description, **kw)

    if not hidden:
        return [case("MLP 5-16-3 with dropout 0.3, SGD with momentum 0.9, 6 epochs, patience 2; 70 training "
                     "samples in batches of 16, 45 for validation in batches of 20",
                     _fit_description(rng, 70, [5, 16, 3], 16, 45, 20, 6, 2, optimizer="sgd", lr=0.1,
                                      momentum=0.9, dropout=0.3)),
                case("MLP 4-12-3 with batch norm, Adam lr 0.05, 8 epochs, patience 2, half of the labels "
                     "random (it overfits: early stopping ends it)",
                     _fit_description(rng, 50, [4, 12, 3], 12, 33, 10, 8, 2, noise=0.5, optimizer="adam",
                                      lr=0.05, batchnorm=True)),
                case("MLP 6-16-16-4 with batch norm and dropout 0.2, starting in eval mode, SGD lr 0.05, "
                     "5 epochs, patience 3",
                     _fit_description(rng, 60, [6, 16, 16, 4], 14, 50, 16, 5, 3, optimizer="sgd", lr=0.05,
                                      batchnorm=True, dropout=0.2, start_eval=True))]
    B, VB = int(rng.integers(8, 17)), int(rng.integers(8, 17))
    N = B * int(rng.integers(3, 6)) + int(rng.integers(2, B // 2 + 1))
    NV = VB * int(rng.integers(2, 4)) + int(rng.integers(1, VB // 2 + 1))
    D, C = int(rng.integers(3, 8)), int(rng.integers(2, 5))
    return [case("random sizes and data, dropout, SGD with momentum, 6 epochs, patience 2",
                 _fit_description(rng, N, [D, int(rng.integers(8, 20)), C], B, NV, VB, 6, 2, optimizer="sgd",
                                  lr=float(rng.uniform(0.05, 0.2)), momentum=float(rng.uniform(0.5, 0.9)),
                                  dropout=float(rng.uniform(0.2, 0.5))), weight=2),
            case("random sizes, batch norm, Adam, many random labels (early stopping ends it)",
                 _fit_description(rng, N, [D, 16, C], B, NV, VB, 8, 2, noise=0.6, optimizer="adam", lr=0.05,
                                  batchnorm=True)),
            case("random sizes, batch norm and dropout, starting in eval mode, Adam, patience 1",
                 _fit_description(rng, N, [D, 12, 12, C], B, NV, VB, 6, 1, optimizer="adam", lr=0.01,
                                  batchnorm=True, dropout=0.3, start_eval=True))]
