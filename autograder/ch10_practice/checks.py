"""Checks of ``ch10_practice``: what each graded function must do, and how it is tested.

Every answer may use torch (the chapter does), so all of them run in the torch
sandbox. The oracles are written here, independently of the course's reference
code in ``nncourse`` (which the chapter runs): torch modules or NumPy loops.
Answers that take torch objects or callables are driven by the probes of
``probes.py``, which build models, data and a ``predict_proba`` function from a
seed inside the sandbox; the grader runs the same probes on its oracles.

- ``ResidualBlock`` is built, then **reference weights** (random convolutions,
  batch-norm scales and shifts, running statistics and a step count) are loaded
  with ``load_state_dict(strict=True)``: the attribute names and shapes of the
  syllabus are the contract. The block, in float64, runs in eval mode (running
  statistics) and in train mode (batch statistics), with a backward pass: the
  outputs, the gradient with respect to the input (through both paths) and the
  running statistics after the train-mode pass are compared with the oracle's
  (``_block``, ``nn`` modules with switches that reproduce the named bugs).
  Identity and projection shortcuts, stride 2 on odd sizes (``ceil``), and in the
  hidden check stride 3.
- ``random_crop_flip`` is a plain call with a seeded ``numpy.random.Generator``;
  the oracle (``_crop_flip``) draws in the syllabus's order, so a different order
  of draws gives other crops. Values, not form: the dtype is free.
- ``replace_head`` runs on small models (``probes.build_head_model``) with the
  head registered after or before the body, some parameters frozen already, and
  ``freeze`` left out, True or False; the probe reports the new head, every other
  parameter's ``requires_grad``, the returned parameters (as a set of names) and
  whether anything else changed.
- ``temperature_scale``: logits ``c * Z`` where labels are drawn from
  ``softmax(Z)`` (so the minimiser is near ``c``); the oracle finds the root of
  the loss's derivative along ``1/T`` by bisection (the loss is convex in
  ``1/T``), to 1e-12; the answer must be within a relative 1e-4. The hidden
  check shifts each row of logits by up to 5,000 (a softmax ignores it; a loss
  computed without subtracting the row's largest logit overflows).
- ``expected_calibration_error``: random probabilities plus rows whose
  confidence lies exactly on a bin edge ``k/n`` (values where ``k/n``,
  ``k * (1/n)`` and ``np.linspace(0, 1, n + 1)[k]`` agree, so the rule "an edge
  goes to the lower bin" is the only thing tested there); with the default
  ``n_bins`` and others. The oracle compares with the edges bin by bin.
- ``occlusion_map``: ``predict_proba`` is a fixed nonlinear classifier of the
  probe (``probes.Classifier``); the oracle occludes patch by patch with a loop.
  Patch and stride that differ, a fill that is not 0, three channels, a
  non-square image, a label that is not the predicted class.
- ``finetune_fixed`` is the debugging task: the release hands out the function
  with four planted bugs (``DEBUG_BUGS``). It fine-tunes a small "pre-trained" CNN
  (``probes.build_finetune_problem``: non-trivial batch-norm statistics, a new
  head) with a written-out ``SGD`` (``torch.optim.SGD``'s updates and parameter
  groups). The probe reports the accuracies returned and the model's whole state
  afterwards (weights and batch-norm buffers). Every planted bug changes them:
  the body's learning rate, validation in train mode (batch statistics used and
  the running statistics moved by validation data), the gradients zeroed once
  instead of per batch, and the best epoch's weights kept by reference (so the
  last epoch's are "restored"). Each case's seed is the first, from the one
  drawn, on whose problem the best epoch is not the last (otherwise the last bug
  would not show); in one visible case the best accuracy is reached twice before
  the last epoch, so keeping a later tie (``>=`` instead of ``>``) shows too.
  Diagnoses name every non-empty subset of the planted bugs still there, and the
  tie; they cost a run each, so they are computed only when a case fails
  (``_LazyBugs``).

Values are judged as values: ``random_crop_flip`` may return any numeric dtype,
``replace_head`` any iterable of the parameters (list, tuple), the ECE and the
temperature a Python or NumPy float or a 0-d array, the occlusion map a float32
or float64 array (or a tensor), the accuracies of ``finetune_fixed`` any numbers.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from nncourse.grading.checks import (TORCH_PRELUDE, Assignment, Case, close, describe, known_bugs,
                                     passes, probe_module, scalar)

TASKS = ("ResidualBlock", "random_crop_flip", "replace_head", "temperature_scale", "expected_calibration_error",
         "occlusion_map", "finetune_fixed")
ASSIGNMENT = Assignment("ch10_practice", torch_tasks=TASKS, probes="probes.py",
                        torch_prelude=TORCH_PRELUDE + "\nfrom torch import nn\nimport torch.nn.functional as F")
task = ASSIGNMENT.task
PROBE = probe_module(__file__)


def _probe_value(probe, fn, *args, **kwargs):
    """What ``probe`` reports for ``fn`` (an oracle or a bug), as the grader decodes it."""
    from nncourse.grading import wire

    return wire.decode(PROBE.PROBES[probe](fn, list(args), kwargs, {})["value"])


def _try(f, *args, **kwargs):
    """``f(*args)``, or None when that bug cannot even run on this input (only for diagnoses)."""
    try:
        return f(*args, **kwargs)
    except Exception:  # noqa: BLE001
        return None


class _LazyBugs(dict):
    """:attr:`Case.bugs` computed on first use: a case reads its bugs only when the answer
    fails it, and some diagnoses cost a training run each."""

    def __init__(self, compute):
        super().__init__()
        self._compute = compute
        self._done = False

    def items(self):
        if not self._done:
            self._done = True
            try:
                self.update(self._compute())
            except Exception:  # noqa: BLE001 - a diagnosis must never break grading
                pass
        return super().items()


def _array_problem(what, got, expected, rtol, atol):
    """Why the array ``got`` is not ``expected`` (None if it is), for a message about ``what``."""
    problem = close(rtol=rtol, atol=atol, dtype=None)(got, expected)
    return None if problem is None else f"{what}: {problem}"


# ---------------------------------------------------------------- ResidualBlock
def _block(no_final_relu=False, relu_before_add=False, no_inner_relu=False, stride_second=False,
           detach_shortcut=False, add_before_bn2=False, eps=1e-5, momentum=0.1):
    """The syllabus's residual block (``nn`` modules), with switches that put a bug in."""

    class Block(nn.Module):
        def __init__(self, in_channels, out_channels, stride=1):
            super().__init__()
            s1, s2 = (1, stride) if stride_second else (stride, 1)
            self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=s1, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(out_channels, eps=eps, momentum=momentum)
            self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=s2, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(out_channels, eps=eps, momentum=momentum)
            self.shortcut = nn.Sequential()
            if stride != 1 or in_channels != out_channels:
                self.shortcut = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                              nn.BatchNorm2d(out_channels, eps=eps, momentum=momentum))

        def forward(self, x):
            out = self.bn1(self.conv1(x))                                  # (N, C_out, H', W')
            out = out if no_inner_relu else F.relu(out)
            out = self.conv2(out)
            short = self.shortcut(x.detach() if detach_shortcut else x)    # (N, C_out, H', W')
            if add_before_bn2:
                out = self.bn2(out + short)
            elif relu_before_add:
                return F.relu(self.bn2(out)) + short
            else:
                out = self.bn2(out) + short
            return out if no_final_relu else F.relu(out)

    return Block


def _block_compare(got, expected):
    if isinstance(got, tuple) and len(got) == 2 and got[0] == "load":
        return (f"the reference weights do not load with load_state_dict(strict=True): {got[1]} (the "
                "attributes are conv1, bn1, conv2, bn2 and shortcut, with no bias in the convolutions)")
    if not isinstance(got, tuple) or len(got) != 6 or got[0] != "ok":
        return f"the probe reported {describe(got)}"
    _, shape, out_eval, out_train, grad, buffers = got
    _, e_shape, e_eval, e_train, e_grad, e_buffers = expected
    if tuple(shape) != tuple(e_shape):
        return (f"the output has shape {tuple(shape)}, expected {tuple(e_shape)} "
                "(N, C_out, ceil(H/stride), ceil(W/stride))")
    for what, g, e in (("in eval mode (running statistics), the output", out_eval, e_eval),
                       ("in train mode (batch statistics), the output", out_train, e_train),
                       ("the gradient with respect to the input (through the branch and the shortcut)", grad, e_grad)):
        problem = _array_problem(what, g, e, 1e-7, 1e-9)
        if problem:
            return problem
    if len(buffers) != len(e_buffers):
        return f"the probe reported {len(buffers)} batch-norm buffers, expected {len(e_buffers)}"
    for g, e in zip(buffers, e_buffers):
        problem = _array_problem("the batch norms' running statistics after a train-mode pass "
                                 "(PyTorch's defaults: momentum 0.1, eps 1e-5)", g, e, 1e-7, 1e-9)
        if problem:
            return problem
    return None


BLOCK_BUGS = {
    "the final ReLU (after the addition) is missing": dict(no_final_relu=True),
    "the ReLU is applied to the branch before the addition instead of to the sum": dict(relu_before_add=True),
    "the ReLU between the two convolutions is missing": dict(no_inner_relu=True),
    "the stride is on the second convolution instead of the first": dict(stride_second=True),
    "the shortcut is detached (no gradient flows back through it)": dict(detach_shortcut=True),
    "the shortcut is added before the second batch norm": dict(add_before_bn2=True),
    "the batch norms do not use PyTorch's default eps (1e-5)": dict(eps=1e-3),
    "the batch norms do not use PyTorch's default momentum (0.1)": dict(momentum=0.01),
}


@task("ResidualBlock")
def residual_block_cases(rng, hidden):
    def case(label, spec, weight=1.0):
        spec = tuple(int(v) for v in spec)
        value = lambda cls: _probe_value("residual_block", cls, spec)  # noqa: E731
        expected = value(_block())
        bugs = known_bugs(expected, passes(_block_compare),
                          **{bug: _try(value, _block(**sw)) for bug, sw in BLOCK_BUGS.items()})
        seed, c_in, c_out, stride, N, H, W = spec
        label = f"{label}: ResidualBlock({c_in}, {c_out}, stride={stride}) on x ({N}, {c_in}, {H}, {W})"
        return Case("ResidualBlock", label, (spec,), expected, _block_compare, bugs=bugs,
                    probe="residual_block", weight=weight)

    # spec = (seed, c_in, c_out, stride, N, H, W)
    if not hidden:
        return [case("identity shortcut", (1, 4, 4, 1, 2, 6, 6)),
                case("projection shortcut, stride 2 on odd sizes", (2, 3, 6, 2, 2, 7, 9)),
                case("projection shortcut for new channels, stride 1", (3, 4, 6, 1, 3, 5, 5))]
    r = lambda lo, hi: int(rng.integers(lo, hi))  # noqa: E731
    c = r(2, 7)
    return [case("identity shortcut, random sizes", (r(10, 10**6), c, c, 1, r(2, 5), r(3, 9), r(3, 9)), 2.0),
            case("projection, stride 2, odd sizes", (r(10, 10**6), r(1, 5), r(5, 9), 2, r(2, 5), 2 * r(2, 5) + 1,
                                                     2 * r(2, 5) + 1), 2.0),
            case("projection, stride 2, same channels", (r(10, 10**6), c, c, 2, r(2, 4), r(4, 9), r(4, 9))),
            case("projection, stride 3", (r(10, 10**6), r(2, 5), r(2, 6), 3, r(2, 4), r(5, 11), r(5, 11)))]


# ---------------------------------------------------------------- random_crop_flip
def _crop_flip(X, rng, pad=2, order=("dy", "dx", "flip"), updown=False, once=False, high_excl=False,
               flip_if_high=False, mode="constant"):
    """The syllabus's crop and flip, image by image with explicit copies; switches for bugs."""
    X = np.asarray(X)
    N, C, H, W = X.shape
    out = np.zeros_like(X)
    draws = None
    for i in range(N):
        if draws is None or not once:
            draws = {}
            for name in order:
                if name == "flip":
                    r = rng.random()
                    draws["flip"] = (r >= 0.5) if flip_if_high else (r < 0.5)
                else:
                    draws[name] = int(rng.integers(0, 2 * pad + (0 if high_excl else 1)))
        padded = np.pad(X[i], ((0, 0), (pad, pad), (pad, pad)), mode=mode)   # (C, H + 2 pad, W + 2 pad)
        crop = padded[:, draws["dy"]:draws["dy"] + H, draws["dx"]:draws["dx"] + W]
        if draws["flip"]:
            crop = crop[:, ::-1, :] if updown else crop[:, :, ::-1]
        out[i] = crop
    return out


@task("random_crop_flip")
def random_crop_flip_cases(rng, hidden):
    from nncourse.grading.checks import Rng

    compare = close(rtol=0.0, atol=0.0, dtype=None)

    def case(label, X, seed, pad=None, weight=1.0):
        kw = {} if pad is None else {"pad": int(pad)}
        p = 2 if pad is None else int(pad)
        value = lambda **sw: _crop_flip(X, np.random.default_rng(seed), p, **sw)  # noqa: E731
        expected = value()
        bugs = known_bugs(expected, passes(compare), **{
            "the flip is drawn before the shift (the syllabus's order: dy, dx, then flip)":
                value(order=("flip", "dy", "dx")),
            "dx is drawn before dy": value(order=("dx", "dy", "flip")),
            "the image is mirrored upside down (flip the last axis, W)": value(updown=True),
            "one shift and one flip are drawn for the whole batch instead of for each image": value(once=True),
            "the shift is drawn from rng.integers(0, 2*pad): the upper end 2*pad is inclusive in the syllabus "
            "(integers(0, 2*pad+1))": _try(value, high_excl=True) if p > 0 else None,
            "the image is flipped when rng.random() >= 0.5 (the syllabus: < 0.5)": value(flip_if_high=True),
            "the border is padded with the edge pixels instead of zeros": value(mode="edge") if p > 0 else None,
        })
        shape = "x".join(str(s) for s in X.shape)
        label = f"{label}: X ({shape}) {X.dtype}, pad={'default (2)' if pad is None else p}"
        return Case("random_crop_flip", label, (X, Rng(seed)), expected, compare, kwargs=kw, bugs=bugs,
                    weight=weight)

    if not hidden:
        return [case("three greyscale images", rng.uniform(0.1, 1.0, size=(3, 1, 6, 6)), 101),
                case("three channels, not square, pad=1", rng.uniform(0.1, 1.0, size=(6, 3, 5, 7)), 102, 1),
                case("uint8 images", rng.integers(1, 256, size=(8, 1, 8, 8)).astype(np.uint8), 103)]
    r = lambda lo, hi: int(rng.integers(lo, hi))  # noqa: E731
    return [case("random sizes", rng.uniform(0.1, 1.0, size=(r(12, 20), r(1, 4), r(5, 10), r(5, 10))),
                 r(0, 10**6), weight=2.0),
            case("pad=3", rng.uniform(0.1, 1.0, size=(r(10, 16), 1, r(6, 10), r(6, 10))), r(0, 10**6), 3),
            case("pad=0 (flips only)", rng.uniform(0.1, 1.0, size=(r(8, 12), 2, 4, 5)), r(0, 10**6), 0)]


# ---------------------------------------------------------------- replace_head
def _replace(freeze_head_too=False, ignore_freeze=False, unfreeze=False, return_all=False, return_head=False,
             in_from_out=False, weights_layers_only=False):
    """The syllabus's replace_head, with switches that put a bug in."""

    def replace_head(model, num_classes, freeze=True):
        old = model.head
        new = nn.Linear(old.out_features if in_from_out else old.in_features, num_classes)
        for m in model.modules():
            if weights_layers_only and not isinstance(m, (nn.Conv2d, nn.Linear)):
                continue
            for p in m.parameters(recurse=False):
                if freeze and not ignore_freeze:
                    p.requires_grad_(False)
                elif unfreeze:
                    p.requires_grad_(True)
        model.head = new
        if freeze_head_too and freeze:
            new.requires_grad_(False)
        if return_all:
            return list(model.parameters())
        if return_head:
            return list(new.parameters())
        return [p for p in model.parameters() if p.requires_grad]

    return replace_head


def _head_compare(got, expected):
    if not isinstance(got, tuple) or len(got) != 5:
        return f"the probe reported {describe(got)}"
    head, flags, names, unchanged, shape = got
    e_head, e_flags, e_names, _, e_shape = expected
    if head[0] != "Linear":
        return f"model.head is {head[0]} after the call, expected a new nn.Linear"
    if tuple(head[1:3]) != tuple(e_head[1:3]):
        return (f"the new head is nn.Linear({head[1]}, {head[2]}), expected nn.Linear({e_head[1]}, {e_head[2]}) "
                "(in_features of the old head, num_classes)")
    if not head[3]:
        return "the new head has no bias (nn.Linear's default has one)"
    if not head[4]:
        return "model.head is the old module, not a new nn.Linear"
    if not head[5]:
        return "the new head's parameters do not require a gradient (the head is what trains)"
    if not unchanged:
        return "the values of the other parameters changed (only the head is replaced)"
    if tuple(flags) != tuple(e_flags):
        wrong = [(n, g) for (n, g), (_, e) in zip(flags, e_flags) if g != e]
        if not wrong:
            return "the model's parameters are not the ones expected"
        n, g = wrong[0]
        return (f"{len(wrong)} of the other parameters have the wrong requires_grad, e.g. {n} has "
                f"requires_grad={g} (with freeze every other parameter is frozen; without it nothing else "
                "changes)")
    if isinstance(names, str):
        return f"the returned value is {names}"
    if tuple(names) != tuple(e_names):
        extra = sorted(set(names) - set(e_names))
        missing = sorted(set(e_names) - set(names))
        return ("the returned parameters are not the trainable ones: "
                + "; ".join(p for p in (f"{len(extra)} that do not require a gradient (e.g. {extra[0]})" if extra
                                        else "", f"{len(missing)} trainable ones left out (e.g. {missing[0]})"
                                        if missing else "") if p))
    if shape != e_shape:
        return f"after the call, model(x) gives {shape}, expected shape {e_shape}"
    return None


@task("replace_head")
def replace_head_cases(rng, hidden):
    def case(label, spec, num_classes, freeze, weight=1.0):
        spec = (int(spec[0]), spec[1], int(spec[2]), int(spec[3]), tuple(int(i) for i in spec[4]))
        value = lambda fn: _probe_value("replace_head", fn, spec, int(num_classes), freeze)  # noqa: E731
        expected = value(_replace())
        bugs = known_bugs(expected, passes(_head_compare), **{
            "the new head is frozen too (freeze applies to every OTHER parameter)":
                _try(value, _replace(freeze_head_too=True)),
            "freeze is ignored (the body still trains)": _try(value, _replace(ignore_freeze=True)),
            "with freeze=False, every parameter is made trainable (without freeze nothing else changes: "
            "parameters frozen before stay frozen)": _try(value, _replace(unfreeze=True)),
            "it returns every parameter, trainable or not": _try(value, _replace(return_all=True)),
            "it returns the head's parameters only (with freeze=False the body trains too)":
                _try(value, _replace(return_head=True)),
            "the new head's in_features is the old head's out_features": _try(value, _replace(in_from_out=True)),
            "only convolutions and linear layers are frozen (batch norm's scale and shift still train)":
                _try(value, _replace(weights_layers_only=True)),
        })
        d, old, pre = spec[2], spec[3], spec[4]
        how = "freeze left out" if freeze is None else f"freeze={freeze}"
        label = (f"{label}: a head nn.Linear({d}, {old}) -> {num_classes} classes, {how}"
                 + (f", {len(pre)} parameter(s) frozen before" if pre else ""))
        return Case("replace_head", label, (spec, int(num_classes), freeze), expected, _head_compare, bugs=bugs,
                    probe="replace_head", weight=weight)

    # spec = (seed, order, d, old classes, frozen parameter indices); the model has 7 parameters before
    # the head's two (conv, bn weight, bn bias, linear weight, linear bias: body.0, body.1, body.5)
    if not hidden:
        return [case("the body registered first", (11, "body-first", 6, 7, ()), 3, None),
                case("freeze=False, one body parameter frozen already", (12, "body-first", 5, 7, (1,)), 3, False),
                case("the head registered before the body", (13, "head-first", 6, 4, ()), 5, True)]
    r = lambda lo, hi: int(rng.integers(lo, hi))  # noqa: E731
    pre = tuple(sorted(int(i) for i in rng.choice(5, size=r(1, 3), replace=False)))
    order = ("head-first", "body-first")[r(0, 2)]
    return [case("random sizes", (r(10, 10**6), order, r(3, 9), r(2, 10), ()), r(2, 9), True),
            case("random sizes, freeze=False, some parameters frozen already",
                 (r(10, 10**6), "body-first", r(3, 9), r(2, 10), pre), r(2, 9), False, weight=2.0),
            case("random sizes, freeze left out, the head registered first",
                 (r(10, 10**6), "head-first", r(3, 9), r(2, 10), ()), r(2, 9), None)]


# ---------------------------------------------------------------- temperature_scale
def _log_softmax(Z):
    Z = Z - Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


def _nll(Z, y, T):
    return float(-_log_softmax(Z / T)[np.arange(len(y)), y].mean())


def _best_temperature(Z, y, lo=0.05, hi=20.0):
    """The minimiser of the mean cross-entropy of softmax(Z / T): the loss is convex in u = 1/T,
    its derivative mean(E_p[z] - z_y) grows with u; bisect for its root in [1/hi, 1/lo]."""
    Z = np.asarray(Z, dtype=np.float64)
    zy = Z[np.arange(len(y)), y].mean()

    def slope(u):
        P = np.exp(_log_softmax(Z * u))
        return float((P * Z).sum(axis=1).mean() - zy)

    a, b = 1.0 / hi, 1.0 / lo
    if slope(a) >= 0:
        return hi
    if slope(b) <= 0:
        return lo
    for _ in range(200):
        m = 0.5 * (a + b)
        if slope(m) < 0:
            a = m
        else:
            b = m
    return 1.0 / (0.5 * (a + b))


def _temperature_problem(rng, N, K, c, spread=1.5, offset=0.0):
    """``(c * Z + s, labels drawn from softmax(Z), the minimiser)``: miscalibrated by a factor ``c``,
    each row shifted by its own ``s`` in ``[-offset, offset]`` (which a softmax ignores), redrawn
    until the minimiser lies well inside [0.05, 20]."""
    while True:
        Z = rng.normal(size=(N, K)) * spread                                  # (N, K)
        P = np.exp(_log_softmax(Z))
        y = np.array([rng.choice(K, p=p) for p in P])
        logits = c * Z + offset * rng.uniform(-1.0, 1.0, size=(N, 1))
        T = _best_temperature(logits, y)
        if 0.08 < T < 16:
            return logits, y, T


@task("temperature_scale")
def temperature_scale_cases(rng, hidden):
    compare = scalar(rtol=1e-4, atol=0.0)

    def case(label, logits, y, T, weight=1.0):
        probs = np.exp(_log_softmax(logits))
        bugs = known_bugs(T, passes(compare), **{
            "it returns 1/T (the logits are multiplied by T instead of divided, or 1/T is returned)": 1.0 / T,
            "the temperature is fitted on the probabilities (softmax(logits)) instead of the logits":
                _try(_best_temperature, probs, y),
            "it returns the loss at the best temperature instead of the temperature": _nll(logits, y, T),
        })
        N, K = logits.shape
        return Case("temperature_scale", f"{label}: logits ({N}, {K})", (logits, y), T, compare, bugs=bugs,
                    weight=weight)

    if not hidden:
        return [case("an over-confident model (the best T is above 1)", *_temperature_problem(rng, 300, 3, 2.5)),
                case("an under-confident model (the best T is below 1)", *_temperature_problem(rng, 200, 5, 0.4)),
                case("ten classes", *_temperature_problem(rng, 400, 10, 1.3))]
    return [case("random sizes and miscalibration",
                 *_temperature_problem(rng, int(rng.integers(150, 400)), int(rng.integers(2, 8)),
                                       float(np.exp(rng.uniform(np.log(0.3), np.log(6))))), weight=2.0),
            case("large logits (rows shifted by up to 5,000, which a softmax ignores): the loss must be "
                 "computed stably", *_temperature_problem(rng, int(rng.integers(150, 300)), int(rng.integers(3, 6)),
                                                          float(rng.uniform(1.5, 4)), offset=5000.0))]


# ---------------------------------------------------------------- expected_calibration_error
def _ece(probs, labels, n_bins=15, upper=False, unweighted=False, per_bin_count=False, signed=False,
         true_class=False):
    """ECE with bins (k/n, (k+1)/n] compared edge by edge; switches for bugs."""
    probs = np.asarray(probs, dtype=np.float64)
    conf = probs[np.arange(len(labels)), labels] if true_class else probs.max(axis=1)
    correct = (probs.argmax(axis=1) == labels).astype(np.float64)
    N = len(labels)
    total, gaps = 0.0, []
    for k in range(n_bins):
        lo, hi = k / n_bins, (k + 1) / n_bins
        if upper:            # [lo, hi), the last bin closed
            inside = (conf >= lo) & ((conf < hi) if k < n_bins - 1 else (conf <= hi))
        else:
            inside = (conf > lo) & (conf <= hi) if k > 0 else (conf <= hi)
        if not inside.any():
            continue
        gap = correct[inside].mean() - conf[inside].mean()
        gap = gap if signed else abs(gap)
        gaps.append(gap)
        total += inside.sum() / N * gap
    if unweighted:
        return float(np.mean(gaps))
    if per_bin_count:
        return float(sum(gaps) / n_bins)
    return float(total)


def _exact_edges(n):
    """Edges k/n (0 < k < n) that every usual way of computing them gives exactly, and that are
    the largest entry of a row [c, (1-c)/2, (1-c)/2]."""
    lin = np.linspace(0.0, 1.0, n + 1)
    return [k / n for k in range(1, n) if k / n == lin[k] == k * (1.0 / n) and (k / n) * n == k
            and k / n > 0.4 and math.floor((k / n) * n) == k]


def _calibration_problem(rng, N, K, n_bins, n_edges):
    """Random probabilities (N, K) and labels, ``n_edges`` of the rows with a confidence exactly on
    a bin edge of ``n_bins`` bins (K = 3 for those rows' shape; other rows random)."""
    logits = rng.normal(size=(N, K)) * rng.uniform(0.5, 3.0, size=(N, 1))
    P = np.exp(_log_softmax(logits))
    y = np.where(rng.random(N) < 0.75, P.argmax(axis=1), rng.integers(0, K, size=N))
    edges = _exact_edges(n_bins)
    if n_edges and edges and K == 3:
        rows = rng.choice(N, size=n_edges, replace=False)
        for i in rows:
            c = float(rng.choice(edges))
            P[i] = rng.permutation([c, (1 - c) / 2, (1 - c) / 2])
    return P, y


@task("expected_calibration_error")
def ece_cases(rng, hidden):
    compare = scalar(rtol=1e-9, atol=1e-12)

    def case(label, P, y, n_bins=None, weight=1.0):
        n = 15 if n_bins is None else int(n_bins)
        kw = {} if n_bins is None else {"n_bins": n}
        expected = _ece(P, y, n)
        bugs = known_bugs(expected, passes(compare), **{
            "a confidence on a bin edge k/n goes to the upper bin (the syllabus: the lower one; bins are "
            "(k/n, (k+1)/n])": _ece(P, y, n, upper=True),
            "the bins' gaps are averaged without weighting them by their share of the examples":
                _ece(P, y, n, unweighted=True),
            "the sum of the gaps is divided by the number of bins instead of weighting each by |B|/N":
                _ece(P, y, n, per_bin_count=True),
            "the gaps are not taken in absolute value": _ece(P, y, n, signed=True),
            "the confidence is the true class's probability instead of the largest one":
                _ece(P, y, n, true_class=True),
            "n_bins is ignored (15 bins always)": _ece(P, y, 15) if n != 15 else None,
        })
        N, K = P.shape
        label = f"{label}: probs ({N}, {K}), n_bins={'default (15)' if n_bins is None else n}"
        return Case("expected_calibration_error", label, (P, y), expected, compare, kwargs=kw, bugs=bugs,
                    weight=weight)

    if not hidden:
        return [case("random probabilities", *_calibration_problem(rng, 200, 4, 15, 0)),
                case("10 bins, some confidences exactly on an edge (they go to the lower bin)",
                     *_calibration_problem(rng, 120, 3, 10, 40), n_bins=10),
                case("5 bins, some confidences exactly on an edge", *_calibration_problem(rng, 60, 3, 5, 20),
                     n_bins=5)]
    n = int(rng.choice([4, 5, 8, 10, 20]))
    return [case("random sizes", *_calibration_problem(rng, int(rng.integers(100, 400)), int(rng.integers(2, 8)),
                                                        15, 0), weight=2.0),
            case("confidences on edges", *_calibration_problem(rng, int(rng.integers(60, 200)), 3, n,
                                                               int(rng.integers(20, 40))), n_bins=n, weight=2.0)]


# ---------------------------------------------------------------- occlusion_map
def _occlusion(spec, label, patch=4, stride=4, fill=0.0, negate=False, stride_is_patch=False, floor_shape=False,
               transposed=False, first_channel=False, predicted=False, occluded_only=False):
    """The occlusion map by a loop over patch positions; switches for bugs."""
    predict, image = PROBE.occlusion_problem(spec)
    C, H, W = image.shape
    base_p = predict(image[None])[0]
    k = int(base_p.argmax()) if predicted else label
    step = patch if stride_is_patch else stride
    OH = H // stride if floor_shape else (H - patch) // stride + 1
    OW = W // stride if floor_shape else (W - patch) // stride + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            occluded = image.copy()
            channels = slice(0, 1) if first_channel else slice(None)
            occluded[channels, i * step:i * step + patch, j * step:j * step + patch] = fill
            p = predict(occluded[None])[0, k]
            out[i, j] = p if occluded_only else (p - base_p[k] if negate else base_p[k] - p)
    return (out.T.copy() if transposed else out), True


def _occlusion_compare(got, expected):
    if not isinstance(got, tuple) or len(got) != 2:
        return f"the probe reported {describe(got)}"
    value, unchanged = got
    problem = close(rtol=1e-4, atol=2e-6, dtype=None)(value, expected[0])
    if problem is not None:
        return problem
    if not unchanged:
        return "it modified the image in place (occlude a copy)"
    return None


@task("occlusion_map")
def occlusion_cases(rng, hidden):
    def case(label, spec, lab, weight=1.0, **kw):
        spec = tuple(int(v) for v in spec)
        value = lambda **sw: _occlusion(spec, lab, **{**kw, **sw})  # noqa: E731
        expected = value()
        patch, stride = kw.get("patch", 4), kw.get("stride", 4)
        bugs = known_bugs(expected, passes(_occlusion_compare), **{
            "the sign is flipped (the entry is the probability on the occluded copy minus that on the "
            "original image)": value(negate=True),
            "the patches are placed every patch pixels instead of every stride pixels":
                value(stride_is_patch=True) if patch != stride else None,
            "the map has H // stride rows and W // stride columns (the syllabus: (H - patch) // stride + 1)":
                _try(value, floor_shape=True),
            "the map is transposed ((OW, OH))": value(transposed=True),
            "only the first channel is occluded (fill every channel)":
                value(first_channel=True) if spec[1] > 1 else None,
            "it uses the predicted class instead of label": value(predicted=True),
            "the entry is the occluded copy's probability, not the drop from the original":
                value(occluded_only=True),
            "fill is ignored (patches set to 0)": value(fill=0.0) if kw.get("fill", 0.0) != 0.0 else None,
        })
        seed, C, H, W, K = spec
        shown = ", ".join(f"{k}={v}" for k, v in kw.items()) or "patch, stride and fill left at their defaults"
        label = f"{label}: image ({C}, {H}, {W}), {K} classes, {shown}"
        return Case("occlusion_map", label, (spec, int(lab)), expected, _occlusion_compare, kwargs=kw, bugs=bugs,
                    probe="occlusion", weight=weight)

    def other_label(spec):
        """A label that is not the classifier's prediction for the image."""
        predict, image = PROBE.occlusion_problem(spec)
        p = predict(image[None])[0]
        return int(np.argsort(p)[-2])

    if not hidden:
        s1, s2, s3 = (21, 1, 8, 8, 3), (22, 3, 10, 8, 4), (23, 1, 10, 9, 5)
        return [case("one channel, the defaults", s1, other_label(s1)),
                case("three channels, patch 3, stride 2, fill 0.5", s2, other_label(s2), patch=3, stride=2, fill=0.5),
                case("patch 2, stride 3 (gaps between the patches)", s3, other_label(s3), patch=2, stride=3)]
    r = lambda lo, hi: int(rng.integers(lo, hi))  # noqa: E731
    s1 = (r(10, 10**6), r(1, 4), r(8, 14), r(8, 14), r(3, 7))
    s2 = (r(10, 10**6), r(2, 4), r(7, 12), r(7, 12), r(3, 7))
    return [case("random sizes", s1, other_label(s1), weight=2.0, patch=r(2, 5), stride=r(1, 4),
                 fill=float(np.round(rng.uniform(0.2, 0.9), 2))),
            case("random sizes, defaults", s2, other_label(s2))]


# ---------------------------------------------------------------- the debugging task
DEBUG_BUGS = {  # switch -> what the planted bug does (numbered as they appear in the provided code)
    "group_lr": "bug 1 (the body's parameter group has no lr of its own, so the body trains at the head's lr "
               "instead of body_lr)",
    "zero_once": "bug 2 (the gradients are zeroed once, before training, instead of before every batch: they "
                 "pile up over the batches and epochs)",
    "no_eval": "bug 3 (the model is not put in eval mode to validate: batch norm normalises with each "
               "validation batch's statistics and moves its running statistics with validation data)",
    "alias": "bug 4 (the best epoch's state_dict is kept by reference, not copied: its tensors keep changing, "
             "so the last epoch's weights are 'restored')",
}


def _finetune(group_lr=False, zero_once=False, no_eval=False, alias=False, ties_last=False):
    """The debugging task's function, fixed, with switches that put each planted bug back."""
    import copy

    def finetune_fixed(model, train_batches, val_batches, epochs, lr, body_lr, optimizer_class=None):
        head = list(model.head.parameters())
        head_ids = {id(p) for p in head}
        body = [p for p in model.parameters() if id(p) not in head_ids]
        groups = [{"params": head, "lr": lr},
                  {"params": body} if group_lr else {"params": body, "lr": body_lr}]
        optimizer = optimizer_class(groups, lr=lr, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        accuracies, best, best_state = [], -1.0, None
        if zero_once:
            optimizer.zero_grad()
        for _ in range(epochs):
            model.train()
            for x, y in train_batches:
                if not zero_once:
                    optimizer.zero_grad()
                loss_fn(model(x), y).backward()
                optimizer.step()
            if not no_eval:
                model.eval()
            correct = total = 0
            with torch.no_grad():
                for x, y in val_batches:
                    correct += int((model(x).argmax(dim=1) == y).sum())
                    total += len(y)
            accuracies.append(correct / total)
            if accuracies[-1] > best or (ties_last and accuracies[-1] == best):
                best = accuracies[-1]
                best_state = model.state_dict() if alias else copy.deepcopy(model.state_dict())
        model.load_state_dict(best_state)
        return accuracies

    return finetune_fixed


def _debug_compare(got, expected):
    if not isinstance(got, tuple) or len(got) != 4:
        return f"the probe reported {describe(got)}"
    accs, state, tracked, steps = got
    e_accs, e_state, e_tracked, e_steps = expected
    if isinstance(accs, str):
        return f"the returned value is {accs} (return the list of validation accuracies, one per epoch)"
    if len(accs) != len(e_accs):
        return f"it returned {len(accs)} validation accuracies for {len(e_accs)} epochs"
    if steps != e_steps:
        return f"the optimizer took {steps} steps, expected {e_steps} (one per training batch and epoch)"
    for k, (a, e) in enumerate(zip(accs, e_accs)):
        if abs(a - e) > 1e-9:
            return (f"the validation accuracy of epoch {k + 1} is {a:.4f}, expected {e:.4f} (the training or the "
                    "validation differs from the contract's)")
    if len(state) != len(e_state):
        return f"the model's state_dict has {len(state)} tensors after the call, expected {len(e_state)}"
    for (name, g), (_, e) in zip(state, e_state):
        what = "batch-norm running statistics" if "running" in name else "weights"
        problem = _array_problem(f"after the call, the model's {name} ({what})", g, e, 1e-4, 1e-5)
        if problem:
            return problem + " (they should be the best epoch's, restored)"
    if tuple(tracked) != tuple(e_tracked):
        return (f"batch norm counted {list(tracked)} batches (num_batches_tracked), expected {list(e_tracked)}: "
                "running statistics moved where they should not (validation must run in eval mode)")
    return None


def _subsets(names):
    """Every non-empty subset of ``names``, the small ones first."""
    return [c for r in range(1, len(names) + 1) for c in combinations(names, r)]


def _debug_bugs(value, expected):
    """Every non-empty subset of the planted bugs, the small ones first; a subset whose value a
    smaller one already gives is named with the smaller one, its extra bugs as "may be there too"."""
    found = []                                          # [subset, value, masked bugs]
    for subset in _subsets(tuple(DEBUG_BUGS)):
        v = _try(value, _finetune(**{s: True for s in subset}))
        if v is None:
            continue
        same = next((f for f in found if set(f[0]) <= set(subset) and _debug_compare(v, f[1]) is None), None)
        if same is not None:
            same[2] |= set(subset) - set(same[0])
        else:
            found.append([subset, v, set()])
    ties = _try(value, _finetune(ties_last=True))
    ties_what = ("the planted bugs are fixed, but a later epoch as good as the best replaces it (> keeps the first "
                 "best epoch, >= the last)")
    candidates = {}
    for subset, v, masked in found:
        names = [DEBUG_BUGS[s] for s in subset]
        what = (f"{names[0]} is still there" if len(names) == 1 else
                f"{', '.join(n.split(' (')[0] for n in names)} are still there: " + "; ".join(names))
        if masked:
            hidden_ones = [DEBUG_BUGS[s].split(" (")[0] for s in DEBUG_BUGS if s in masked]
            what += (f" ({' and '.join(hidden_ones)} may be there too: "
                     f"{'its' if len(hidden_ones) == 1 else 'their'} effect does not show while these are)")
        if ties is not None and _debug_compare(ties, v) is None:     # the same value: either may be the cause
            what += f"; or {ties_what}"
            ties = None
        candidates[what] = v
    if ties is not None:
        candidates[ties_what] = ties
    return known_bugs(expected, passes(_debug_compare), **candidates)


def _finetune_run(spec, epochs, lr, body_lr):
    return lambda fn: _probe_value("finetune", fn, spec, epochs, lr, body_lr)  # noqa: E731


def _finetune_case(label, spec, epochs, lr, body_lr, weight=1.0, tie=False, tries=60):
    """A case on the first seed from ``spec[0]`` on whose problem the best epoch is not the last (so
    that restoring it matters); with ``tie``, one where the best accuracy is reached again later
    (so that keeping the first best epoch matters)."""
    spec = tuple(int(v) for v in spec)
    for k in range(tries):
        s = (spec[0] + k,) + spec[1:]
        value = _finetune_run(s, int(epochs), float(lr), float(body_lr))
        expected = value(_finetune())
        accs = np.array(expected[0])
        best = np.flatnonzero(accs == accs.max())
        if best[0] < len(accs) - 1 and (not tie or 1 < len(best) and best[-1] < len(accs) - 1):
            break
    else:
        raise RuntimeError(f"no seed from {spec[0]} gives a best epoch before the last")
    n_train, batch, n_val, val_batch, size = spec[1:]
    label = (f"{label}: {n_train} training batches of {batch} images {size}x{size}, {n_val} validation batches of "
             f"{val_batch}, {epochs} epochs, lr={lr:.3g}, body_lr={body_lr:.3g}")
    return Case("finetune_fixed", label, (s, int(epochs), float(lr), float(body_lr)), expected, _debug_compare,
                bugs=_LazyBugs(lambda: _debug_bugs(value, expected)), probe="finetune", weight=weight, seconds=30)


@task("finetune_fixed")
def finetune_cases(rng, hidden):
    # spec = (seed, training batches, batch size, validation batches, validation batch size, image size)
    if not hidden:
        return [_finetune_case("a small CNN with batch norm and a new 3-class head", (0, 3, 16, 2, 24, 10), 6, 0.3,
                               0.03),
                _finetune_case("more, smaller batches", (40, 4, 12, 2, 20, 8), 6, 0.25, 0.02),
                _finetune_case("the best accuracy is reached twice (the first of those epochs is restored)",
                               (214, 3, 12, 2, 16, 8), 8, 0.3, 0.03, tie=True)]
    r = lambda lo, hi: int(rng.integers(lo, hi))  # noqa: E731
    out = []
    for k in range(3):
        lr = float(rng.uniform(0.25, 0.4))
        out.append(_finetune_case("random sizes and learning rates",
                                  (r(100, 10**6), r(2, 5), r(8, 17), 2, r(16, 25), r(8, 11)), r(5, 8), lr,
                                  lr / float(rng.uniform(5, 15))))
    return out
