"""Checks of ``ch06_cnn``: what each graded function must do, and how it is tested.

NumPy answers (torch hidden in their sandbox): ``conv_output_size``,
``receptive_field``, ``conv2d_forward``, ``maxpool2d_forward``,
``conv2d_backward``, ``maxpool2d_backward`` and the debugging task
``tiny_cnn_forward``. Their oracles are torch, here in the grader: the output
size of ``F.conv2d``, ``F.conv2d`` and ``F.max_pool2d`` in float64, autograd
through ``F.conv2d`` and ``F.max_pool2d`` for the gradients, the extent of
the gradient that one output unit of a stack of ``F.conv1d`` layers sends
back to the input (the receptive field, measured), and the tiny CNN built
from ``F.conv2d``, ``F.max_pool2d`` and ``flatten``. The values known bugs
produce are computed with torch or NumPy too (flipped kernel, padding on one
side, a crop at the wrong offset, a gradient spread over the window, ...), so
that feedback can name them. Inputs are small (at most a few thousand
windows): a correct answer written with plain loops passes within the call's
time limit as well as a vectorised one. Values are judged as values:
``receptive_field`` may return an int, a NumPy integer or a whole float;
only ``conv_output_size``, whose job is the integer, must return an int.

``tiny_cnn_forward`` is the debugging task: the release provides it with four
planted bugs (``TINY_CNN_BUGS``); feedback names which of them (any
non-empty subset) is still there, from a NumPy re-implementation with a
switch per bug (``_tiny_cnn``) whose bug-free value equals the torch oracle.
With all four bugs every case fails, so the provided code scores 0.

``build_cnn`` is a torch answer, graded by what it is for (the syllabus: the
accuracy the chapter's training loop reaches with it on held-out data within
the time budget). Design:

- ``train_and_predict`` (``probes.py``): the sandbox receives
  ``TRAIN_IMAGES`` Fashion-MNIST training images with their labels (uint8, in
  two arrays: one value crossing the boundary holds at most 5,000,000 numbers)
  and ``TEST_IMAGES`` held-out images of the official test set *without* their
  labels. The probe builds ``build_cnn(10)`` after ``torch.manual_seed``,
  trains it with chapter 6's recipe (AdamW, learning rate 3e-3 decaying to 0
  along a cosine, batch 64, 2 epochs = 314 steps, one thread: a fixed number
  of steps, so a run is reproducible) and returns the predicted labels. The
  accuracy is computed here, from labels that never enter the sandbox, and
  must reach ``ACCURACY``. Visible case: a fixed sample of training and
  held-out images, seed 0. Hidden case: the same training (the probe keeps
  the last trained model, so grading trains once), a secret sample of 4,000
  other held-out images.
- The time budget is CPU time: the probe measures the training with
  ``time.process_time`` and it must stay within ``TRAIN_CPU_SECONDS``, about
  3x the chapter's CNN (6.5 to 8 s here), so a network too slow to train fails
  with a clear message. Not wall-clock time: on the course's shared two-core
  machine the same training took 7 s or 160 s of wall-clock time depending on
  the other jobs. The call's wall-clock limit, ``CALL_SECONDS``, is only a
  backstop.
- The probe also predicts the held-out images *before* training: a model that
  already classifies them well (pre-trained weights, a look-up table of the
  public test set) fails, since the grade is for what training achieves.
- ``cnn_outputs``: ``build_cnn(C)`` is an ``nn.Module`` whose output on
  ``(5, 1, 28, 28)`` images has shape ``(5, C)`` for ``C`` other than 10
  (visible 3 and 7, hidden two others), that are logits rather than
  probabilities (rows of a softmax would be fed to ``CrossEntropyLoss``,
  which applies its own softmax), with fewer than ``MAX_PARAMETERS``
  trainable parameters.

The threshold, from runs of this probe (one thread). On the fixed training
sample (visible held-out sample; 5 secret samples of other held-out images):
the chapter's CNN (20,538 parameters) 86.9% (86.7% to 87.0%), 6.6 s of CPU for
the training; a plain LeNet-like CNN without batch norm (a correct answer in
``tests/variants``) 85.6% (85.6% to 86.3%), 9.4 s; a linear model 82.4% (82.3%
to 82.9%); a CNN without nonlinearity (strided convolutions) 82.9% (82.5% to
83.1%). On three other random training samples and seeds: the chapter's CNN
87.2% to 87.8%, LeNet 85.6% to 86.4%, the linear model 81.8% to 82.9%, the
chapter's CNN with a softmax at the end 81.9% to 85.9% (it fails the logits
check), an MLP with 8 hidden units below 80%. ``ACCURACY`` sits between the
linear models and the plain CNN.
"""

from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F

from nncourse.grading.checks import Assignment, Case, all_close, close, describe, known_bugs, scalar, sequence

TRAIN_IMAGES = 10_000          # sent to the sandbox with their labels
TEST_IMAGES = 4_000            # held-out images, sent without their labels
ACCURACY = 0.84                # needed on the held-out images after training
TRAIN_CPU_SECONDS = 25.0       # the time budget: CPU seconds of one training (about 3x the chapter's CNN)
CALL_SECONDS = 240.0           # wall-clock backstop of one training call (a loaded machine is slow)
MAX_PARAMETERS = 200_000       # about 10x the chapter's CNN
PROBABILITY_LOSS = float(np.log1p(9 / np.e))   # the smallest cross-entropy of 10 probabilities as logits

ASSIGNMENT = Assignment("ch06_cnn", forbid=("torch",), torch_tasks=("build_cnn",), probes="probes.py",
                        # two training calls (visible, hidden) and the start, on a loaded machine
                        torch_limits=dict(notebook_seconds=2 * CALL_SECONDS + 120))
task = ASSIGNMENT.task


def _t(x, grad=False):
    return torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=grad)


_same = all_close()   # a bug's value equal to the right answer names no bug


def _try(f):
    try:
        return f()
    except (ValueError, IndexError, RuntimeError):
        return None


def _conv(X, W, b=None, stride=1, padding=0):
    """``F.conv2d`` in float64, as a NumPy array; ``padding`` as (top, bottom, left, right) pads unevenly."""
    Xt = _t(X)
    if isinstance(padding, tuple):
        Xt, padding = F.pad(Xt, (padding[2], padding[3], padding[0], padding[1])), 0
    return F.conv2d(Xt, _t(W), None if b is None else _t(b), stride=stride, padding=padding).numpy()


def _conv_case(task, label, arrays, x_shape, w_shape, stride, padding, expected, compare, bugs, by_name=False,
               **kw):
    """A call ``task(*arrays, stride, padding)``, or with ``stride=`` and ``padding=`` by name."""
    label = f"{label}: X {x_shape}, W {w_shape}, stride={stride}, padding={padding}"
    kwargs = {"stride": stride, "padding": padding} if by_name else {}
    args = tuple(arrays) + (() if by_name else (stride, padding))
    return Case(task, label, args, expected, compare, kwargs=kwargs, bugs=bugs, **kw)


# ---------------------------------------------------------------- conv_output_size
@task("conv_output_size")
def conv_output_size_cases(rng, hidden):
    def case(n, k, stride=1, padding=0, **kw):
        expected = _conv(np.zeros((1, 1, n, 1)), np.zeros((1, 1, k, 1)), stride=stride,
                         padding=(padding, padding, 0, 0)).shape[2]
        bugs = {"the padding is left out: (n - k) // stride + 1": (n - k) // stride + 1,
                "the + 1 is missing (that counts the steps between windows, not the windows)":
                    (n + 2 * padding - k) // stride,
                "the padding is added once instead of on both sides": (n + padding - k) // stride + 1,
                "the division rounds up instead of down": -(-(n + 2 * padding - k) // stride) + 1}
        bugs = {b: v for b, v in bugs.items() if v != expected}
        args = (n, k) + ((stride, padding) if kw.pop("positional", False) else ())
        kwargs = {} if len(args) > 2 else {k_: v for k_, v in (("stride", stride), ("padding", padding))
                                           if v != (1 if k_ == "stride" else 0)}
        label = f"n={n}, k={k}, stride={stride}, padding={padding}"
        return Case("conv_output_size", label, args, expected, scalar(0, 0, kind=int), kwargs=kwargs,
                    bugs=bugs, **kw)

    if not hidden:
        return [case(5, 3), case(28, 3, padding=1), case(28, 3, 2, 1), case(8, 3, 2, positional=True),
                case(7, 2, 3, 2, positional=True)]
    out = []
    for _ in range(6):
        k = int(rng.integers(1, 8))
        s, p = int(rng.integers(1, 5)), int(rng.integers(0, 4))
        n = int(rng.integers(max(1, k - 2 * p), 40))
        out.append(case(n, k, s, p, positional=bool(rng.integers(0, 2))))
    # a stride that does not divide n + 2p - k (floor division matters)
    out.append(case(10 + 2 * int(rng.integers(0, 5)), 3, 3, 1))
    return out


# ---------------------------------------------------------------- conv2d_forward
@task("conv2d_forward")
def conv2d_forward_cases(rng, hidden):
    compare = close(rtol=1e-7, atol=1e-9)

    def case(label, x_shape, w_shape, stride=1, padding=0, **kw):
        X = rng.normal(size=x_shape)
        W = rng.normal(size=w_shape)
        b = rng.normal(size=w_shape[0])
        exp = _conv(X, W, b, stride, padding)
        p = padding
        bugs = known_bugs(exp, _same, **{
            "the kernel is flipped (a true convolution; deep learning's conv2d is a cross-correlation)":
                _conv(X, W[:, :, ::-1, ::-1].copy(), b, stride, padding),
            "the stride is ignored (every window is used)": _try(lambda: _conv(X, W, b, 1, padding)),
            "the padding is added on one side only (top and left)":
                _try(lambda: _conv(X, W, b, stride, (p, 0, p, 0))),
            "the padding is added on one side only (bottom and right)":
                _try(lambda: _conv(X, W, b, stride, (0, p, 0, p))),
            "the bias is missing": _conv(X, W, None, stride, padding),
            "the bias is added per input channel (C times) instead of once":
                _conv(X, W, b * X.shape[1], stride, padding),
            "the input channels are not summed: only the last channel counts (= instead of +=?)":
                _conv(X[:, -1:], W[:, -1:], b, stride, padding),
        })
        return _conv_case("conv2d_forward", label, (X, W, b), x_shape, w_shape, stride, padding, exp, compare,
                          bugs, **kw)

    if not hidden:
        return [case("one channel, one filter", (1, 1, 5, 5), (1, 1, 3, 3)),
                case("channels and filters", (2, 3, 7, 7), (4, 3, 3, 3)),
                case("stride 2 and padding 1, non-square input and kernel", (2, 3, 8, 9), (5, 3, 3, 2), 2, 1),
                case("stride 3 does not divide n + 2p - k", (3, 2, 10, 6), (2, 2, 2, 3), 3, 2, by_name=True)]
    r = lambda lo, hi: int(rng.integers(lo, hi))  # noqa: E731
    N, C, F_ = r(1, 4), r(2, 5), r(2, 6)
    return [case("random shapes", (N, C, r(6, 12), r(6, 12)), (F_, C, r(1, 5), r(1, 5)), weight=2),
            case("stride 2, padding 1", (N, C, r(7, 12), r(7, 12)), (F_, C, 3, 3), 2, 1, weight=2),
            case("non-square kernel, stride and padding", (N, C, r(8, 12), r(5, 9)), (F_, C, r(2, 4), 1),
                 r(2, 4), r(1, 3), by_name=True),
            case("a single image and a single channel", (1, 1, r(5, 10), r(5, 10)), (F_, 1, 3, 3), 1, 1),
            case("a 1 x 1 kernel (mixes channels only)", (N, C, 5, 4), (F_, C, 1, 1))]


# ---------------------------------------------------------------- maxpool2d_forward
def _maxpool(X, k, s):
    return F.max_pool2d(_t(X), k, s).numpy()


@task("maxpool2d_forward")
def maxpool2d_forward_cases(rng, hidden):
    compare = close(rtol=0.0, atol=0.0)

    def case(label, X, k=None, stride=None, **kw):
        kk, ss = (k or 2), (stride or 2)
        exp = _maxpool(X, kk, ss)
        bugs = known_bugs(exp, _same, **{
            "it averages the windows (average pooling) instead of taking their maximum":
                F.avg_pool2d(_t(X), kk, ss).numpy(),
            "the stride is ignored: the windows move by k (as with the reshape into k x k blocks)":
                _maxpool(X, kk, kk),
            "the stride is ignored: the windows move by 1": _maxpool(X, kk, 1),
            "the maximum starts at 0 instead of the first value of the window (wrong for negative inputs)":
                np.maximum(exp, 0.0),
            "the maximum is also taken over the channels": np.broadcast_to(exp.max(axis=1, keepdims=True),
                                                                          exp.shape),
        })
        if k is None:
            args, kwargs, how = (X,), {}, "defaults k=2, stride=2"
        elif kw.pop("by_name", False):
            args, kwargs, how = (X,), {"k": k, "stride": stride}, f"k={k}, stride={stride}"
        else:
            args, kwargs, how = (X, k, stride), {}, f"k={k}, stride={stride}"
        return Case("maxpool2d_forward", f"{label}: X {X.shape}, {how}", args, exp, compare, kwargs=kwargs,
                    bugs=bugs, **kw)

    if not hidden:
        x4 = np.array([[1, 3, 2, 0], [4, 2, 1, 1], [0, 1, 5, 6], [2, 2, 7, 1]], dtype=float)[None, None]
        return [case("the 4 x 4 example of the chapter", x4),
                case("odd sizes: the last row and column are dropped", rng.normal(size=(2, 3, 7, 9))),
                case("overlapping windows", rng.normal(size=(1, 2, 9, 9)), 3, 2),
                case("all values negative", -rng.uniform(1, 5, size=(2, 2, 6, 6)), 2, 1, by_name=True)]
    N, C = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    H, W = int(rng.integers(6, 14)), int(rng.integers(6, 14))
    return [case("random input, 2 x 2 windows", rng.normal(size=(N, C, H, W)), weight=2),
            case("overlapping 3 x 3 windows, stride 2", rng.normal(size=(N, C, H, W)), 3, 2, by_name=True,
                 weight=2),
            case("3 x 3 windows, stride 1", rng.normal(size=(N, C, H, W)), 3, 1),
            case("non-overlapping 3 x 3 windows with gaps (stride 4)", rng.normal(size=(N, C, H + 3, W)), 3, 4),
            case("all values negative", -rng.uniform(1, 5, size=(N, C, H, W)), 2, 2)]


# ---------------------------------------------------------------- conv2d_backward
def _torch_conv_backward(dout, X, W, stride, padding):
    Xt, Wt, bt = _t(X, True), _t(W, True), _t(np.zeros(W.shape[0]), True)
    F.conv2d(Xt, Wt, bt, stride=stride, padding=padding).backward(_t(dout))
    return Xt.grad.numpy(), Wt.grad.numpy(), bt.grad.numpy()


def _padded_dx(dout, X, W, stride, padding):
    """The gradient with respect to the *padded* input (before cropping)."""
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    return _torch_conv_backward(dout, Xp, W, stride, 0)[0]


@task("conv2d_backward")
def conv2d_backward_cases(rng, hidden):
    tol = close(rtol=1e-7, atol=1e-9)
    compare = sequence(tol, tol, tol, names=("dX", "dW", "db"))

    def case(label, x_shape, w_shape, stride=1, padding=0, **kw):
        X, W = rng.normal(size=x_shape), rng.normal(size=w_shape)
        out_shape = _conv(X, W, stride=stride, padding=padding).shape
        dout = rng.normal(size=out_shape)
        dX, dW, db = exp = _torch_conv_backward(dout, X, W, stride, padding)
        N, _, H, W_in = x_shape
        p = padding
        dXp = _padded_dx(dout, X, W, stride, padding)
        bugs = known_bugs(exp, _same, **{
            "dX is not cropped: it has the shape of the padded input": (dXp, dW, db) if p else None,
            "dX is cropped at the wrong place ([:H, :W] of the padded gradient, not [p:p + H, p:p + W])":
                (dXp[:, :, :H, :W_in], dW, db) if p else None,
            "dX is cropped at the wrong place ([p:, p:] of the padded gradient keeps the bottom padding)":
                (dXp[:, :, p:, p:], dW, db) if p else None,
            "dW has its filter and channel axes swapped (shape (C, F, KH, KW))":
                (dX, dW.transpose(1, 0, 2, 3), db),
            "dW is flipped (a true convolution of the windows with dout)": (dX, dW[:, :, ::-1, ::-1], db),
            "db is averaged (over the batch or the positions) instead of summed":
                (dX, dW, dout.mean(axis=(0, 2, 3))),
            "db is averaged over the batch": (dX, dW, db / N),
            "dX is scattered with the kernel flipped": _try(lambda: (
                _torch_conv_backward(dout, X, W[:, :, ::-1, ::-1].copy(), stride, padding)[0], dW, db)),
        })
        return _conv_case("conv2d_backward", label, (dout, X, W), x_shape, w_shape, stride, padding, exp,
                          compare, bugs, **kw)

    if not hidden:
        return [case("channels and filters", (2, 3, 7, 7), (4, 3, 3, 3)),
                case("stride 2, padding 1, non-square", (2, 3, 8, 9), (5, 3, 3, 2), 2, 1),
                case("as many filters as channels (a transposed dW keeps its shape)", (1, 2, 5, 6), (2, 2, 3, 3),
                     1, 1, by_name=True),
                case("stride 3 does not divide n + 2p - k", (3, 4, 10, 6), (2, 4, 3, 3), 3, 2)]
    r = lambda lo, hi: int(rng.integers(lo, hi))  # noqa: E731
    N, C = r(1, 4), r(2, 5)
    return [case("random shapes", (N, C, r(6, 11), r(6, 11)), (r(2, 6), C, r(1, 4), r(1, 4)), weight=2),
            case("stride 2, padding 1", (N, C, r(7, 12), r(7, 12)), (r(2, 6), C, 3, 3), 2, 1, weight=2),
            case("as many filters as channels, padding 2", (N, C, r(6, 10), r(6, 10)), (C, C, 3, 3), 1, 2,
                 by_name=True),
            case("non-square kernel, stride 3 with leftover rows", (N, C, r(9, 13), r(7, 11)), (r(2, 5), C, 3, 2),
                 3, 1),
            case("a single image and a single channel", (1, 1, r(5, 9), r(5, 9)), (r(1, 4), 1, 2, 2))]


# ---------------------------------------------------------------- receptive_field
def _measured_receptive_field(layers):
    """The receptive field measured, not computed: the span from the first to the last input
    sample that gets a gradient from output unit 0 of a stack of 1-D convolutions (kernels of
    ones, no padding; a stride larger than the kernel leaves gaps inside the span)."""
    length = 1 + sum(k * int(np.prod([s for _, s in layers[:l]])) for l, (k, _) in enumerate(layers))
    x = torch.zeros(1, 1, length, dtype=torch.float64, requires_grad=True)
    h = x
    for k, s in layers:
        h = F.conv1d(h, torch.ones(1, 1, k, dtype=torch.float64), stride=s)
    h[0, 0, 0].backward()
    reached = torch.nonzero(x.grad[0, 0]).ravel()
    return int(reached.max() - reached.min()) + 1


@task("receptive_field")
def receptive_field_cases(rng, hidden):
    number = scalar(rtol=0.0, atol=1e-9, kind=float)

    def compare(got, expected):
        """An int, a NumPy integer (scalar or 0-d array) or a whole float: judged by its value."""
        return number(got.item() if isinstance(got, np.generic) else got, expected)

    def case(layers, label="", as_lists=False, **kw):
        layers = [(int(k), int(s)) for k, s in layers]
        exp = _measured_receptive_field(layers)
        ks, ss = [k for k, _ in layers], [s for _, s in layers]
        before = [int(np.prod(ss[:l])) for l in range(len(layers))]       # prod_{j < l} s_j
        upto = [int(np.prod(ss[:l + 1])) for l in range(len(layers))]     # prod_{j <= l} s_j
        after = [int(np.prod(ss[l + 1:])) for l in range(len(layers))]    # the strides of later layers
        cands = {
            "the stride of a layer is in its own product (prod over j <= l instead of j < l)":
                1 + sum((k - 1) * p for k, p in zip(ks, upto)),
            "the strides are ignored (1 + sum of (k - 1): right for stride 1 only)": 1 + sum(k - 1 for k in ks),
            "the layers are walked from the output back to the input (the product runs over the later "
            "layers' strides)": 1 + sum((k - 1) * p for k, p in zip(ks, after)),
            "k is used instead of k - 1 (the 1 for the centre is counted in every layer)":
                1 + sum(k * p for k, p in zip(ks, before)),
            "the 1 at the start is missing": sum((k - 1) * p for k, p in zip(ks, before)),
            "the kernels are multiplied, not added": int(np.prod(ks)),
        }
        bugs = {b: v for b, v in cands.items() if v != exp}
        arg = [list(l) for l in layers] if as_lists else layers
        shown = "[" + ", ".join(f"({k}, {s})" for k, s in layers) + "]"
        return Case("receptive_field", f"{label}layers {shown}" if not hidden else f"{label}{len(layers)} layers",
                    (arg,), exp, compare, bugs=bugs, **kw)

    if not hidden:
        return [case([(3, 1)], "one 3 x 3 convolution: "),
                case([(3, 1)] * 4, "four 3 x 3 convolutions, stride 1: "),
                case([(3, 1), (2, 2), (3, 1), (2, 2)], "the chapter's CNN (conv, pool, conv, pool): "),
                case([[3, 2], [3, 2], [3, 2]], "three stride-2 convolutions, pairs given as lists: ",
                     as_lists=True),
                case([(7, 2), (3, 2), (3, 1), (1, 1), (3, 1)], "a stem with a 7 x 7 stride-2 kernel: "),
                case([], "no layers at all (a unit sees itself): ")]
    out = []
    for i in range(5):
        n = int(rng.integers(2, 7))
        layers = [(int(rng.integers(1, 8)), int(rng.integers(1, 4))) for _ in range(n)]
        layers[int(rng.integers(0, n - 1))] = (int(rng.integers(2, 8)), int(rng.integers(2, 4)))  # a stride > 1
        out.append(case(layers, "random kernels and strides: ", as_lists=bool(i % 2), weight=2 if i < 2 else 1))
    return out


# ---------------------------------------------------------------- maxpool2d_backward
def _torch_pool_backward(dout, X, k, s):
    Xt = _t(X, True)
    F.max_pool2d(Xt, k, s).backward(_t(dout))
    return Xt.grad.numpy()


def _pool_backward_bug(dout, X, k, s, bug):
    """What a maxpool2d_backward with ``bug`` returns (loops: clear, and the inputs are small)."""
    N, C, H, W = X.shape
    OH, OW = dout.shape[2:]
    dX = np.zeros_like(X)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    win = X[n, c, i * s:i * s + k, j * s:j * s + k]
                    u, v = divmod(int(np.argmax(win)), k)
                    g = dout[n, c, i, j]
                    if bug == "overwrite":
                        dX[n, c, i * s + u, j * s + v] = g
                    elif bug == "swapped":
                        v, u = divmod(int(np.argmax(win)), k)
                        dX[n, c, i * s + u, j * s + v] += g
                    elif bug == "whole_window":
                        dX[n, c, i * s:i * s + k, j * s:j * s + k] += g
                    elif bug == "top_left":
                        dX[n, c, i * s, j * s] += g
                    elif bug == "mask_then_sum":
                        # the mask of the window's maximum, times the *sum* of the window's gradients
                        dX[n, c, i * s + u, j * s + v] += dout[n, c].sum()
    return dX


@task("maxpool2d_backward")
def maxpool2d_backward_cases(rng, hidden):
    compare = close(rtol=1e-12, atol=1e-12)

    def case(label, X, k=None, stride=None, **kw):
        kk, ss = (k or 2), (stride or 2)
        dout = rng.normal(size=_maxpool(X, kk, ss).shape)
        exp = _torch_pool_backward(dout, X, kk, ss)
        Xt = _t(X, True)
        F.avg_pool2d(Xt, kk, ss).backward(_t(dout))
        bugs = known_bugs(exp, _same, **{
            "where windows overlap, a window overwrites the gradient an earlier one gave (= instead of +=)":
                _pool_backward_bug(dout, X, kk, ss, "overwrite"),
            "the row and the column of the maximum are swapped (divmod of the flat argmax read the wrong way)":
                _pool_backward_bug(dout, X, kk, ss, "swapped"),
            "the gradient is spread evenly over the window (that is average pooling's backward pass)":
                Xt.grad.numpy(),
            "every position of the window gets the gradient, not only its maximum":
                _pool_backward_bug(dout, X, kk, ss, "whole_window"),
            "the gradient goes to the top-left corner of each window, not to its maximum":
                _pool_backward_bug(dout, X, kk, ss, "top_left"),
            "the gradient is dout upsampled to the size of X (np.repeat), without the mask of the maxima":
                _try(lambda: np.pad(dout.repeat(kk, axis=2).repeat(kk, axis=3),
                                    ((0, 0), (0, 0), (0, X.shape[2] - kk * dout.shape[2]),
                                     (0, X.shape[3] - kk * dout.shape[3])))),
        })
        if k is None:
            args, kwargs, how = (dout, X), {}, "defaults k=2, stride=2"
        elif kw.pop("by_name", False):
            args, kwargs, how = (dout, X), {"k": k, "stride": stride}, f"k={k}, stride={stride}"
        else:
            args, kwargs, how = (dout, X, k, stride), {}, f"k={k}, stride={stride}"
        return Case("maxpool2d_backward", f"{label}: X {X.shape}, {how}", args, exp, compare, kwargs=kwargs,
                    bugs=bugs, **kw)

    if not hidden:
        x4 = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 5, 6], [2, 3, 7, 1]], dtype=float)[None, None]
        return [case("a 4 x 4 example (no ties within a window)", x4),
                case("odd sizes: the dropped last row and column get no gradient", rng.normal(size=(2, 3, 7, 9))),
                case("overlapping 3 x 3 windows, stride 2: gradients add up", rng.normal(size=(1, 2, 9, 9)), 3, 2),
                case("2 x 2 windows, stride 1, all values negative", -rng.uniform(1, 5, size=(2, 2, 6, 5)), 2, 1,
                     by_name=True)]
    N, C = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    H, W = int(rng.integers(6, 12)), int(rng.integers(6, 12))
    return [case("random input, 2 x 2 windows", rng.normal(size=(N, C, H, W)), weight=2),
            case("overlapping 3 x 3 windows, stride 2", rng.normal(size=(N, C, H, W)), 3, 2, by_name=True,
                 weight=2),
            case("3 x 3 windows, stride 1", rng.normal(size=(N, C, H, W)), 3, 1),
            case("non-square input, 2 x 2 windows, stride 1", rng.normal(size=(N, C, H, W + 3)), 2, 1),
            case("3 x 3 windows with gaps (stride 4)", rng.normal(size=(N, C, H + 3, W)), 3, 4)]


# ---------------------------------------------------------------- tiny_cnn_forward (debugging task)
TINY_CNN_BUGS = {
    1: "the channels-last images are reshaped to (N, C, H, W) instead of transposed",
    2: "the kernel is read flipped (W1[:, :, K - 1 - u, K - 1 - v]: a true convolution)",
    3: "the 2 x 2 pooling reshapes to (N, F, 2, H/2, 2, W/2), so it pools rows h and h + H/2",
    4: "the feature maps are flattened channels-last, not in nn.Flatten's (channel, row, column) order",
}


def _tiny_cnn(images, W1, b1, W2, b2, bugs=()):
    """The debugging task's function with the planted bugs ``bugs`` (numbers of TINY_CNN_BUGS) left in."""
    N, H, W_in, C = images.shape
    F_out, _, K, _ = W1.shape
    p = K // 2
    X = images.reshape(N, C, H, W_in) if 1 in bugs else images.transpose(0, 3, 1, 2)  # (N, C, H, W)
    Xp = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)))
    Z = np.zeros((N, F_out, H, W_in)) + b1[:, None, None]
    for u in range(K):
        for v in range(K):
            w = W1[:, :, K - 1 - u, K - 1 - v] if 2 in bugs else W1[:, :, u, v]          # (F, C)
            Z += np.einsum("nchw,fc->nfhw", Xp[:, :, u:u + H, v:v + W_in], w)
    A = np.maximum(Z, 0.0)
    PH, PW = H // 2, W_in // 2
    if 3 in bugs:
        P = A.reshape(N, F_out, 2, PH, 2, PW).max(axis=(2, 4))
    else:
        P = A.reshape(N, F_out, PH, 2, PW, 2).max(axis=(3, 5))                       # (N, F, PH, PW)
    flat = P.transpose(0, 2, 3, 1).reshape(N, -1) if 4 in bugs else P.reshape(N, -1)
    return flat @ W2 + b2


def _tiny_cnn_torch(images, W1, b1, W2, b2):
    x = _t(images).permute(0, 3, 1, 2)                                               # (N, C, H, W)
    a = F.max_pool2d(F.relu(F.conv2d(x, _t(W1), _t(b1), padding=W1.shape[2] // 2)), 2)
    return (a.flatten(1) @ _t(W2) + _t(b2)).numpy()


def _bug_names(subset):
    if len(subset) == 1:
        (b,) = subset
        return f"planted bug {b} ({TINY_CNN_BUGS[b]}) is still there"
    nums = ", ".join(str(b) for b in subset[:-1]) + f" and {subset[-1]}"
    return f"planted bugs {nums} are still there ({'; '.join(TINY_CNN_BUGS[b] for b in subset)})"


@task("tiny_cnn_forward")
def tiny_cnn_forward_cases(rng, hidden):
    from itertools import combinations

    compare = close(rtol=1e-7, atol=1e-9)
    numbers = sorted(TINY_CNN_BUGS)

    def case(label, N, H, W_in, C, F_out, K, M, **kw):
        images = rng.normal(size=(N, H, W_in, C))
        W1 = rng.normal(size=(F_out, C, K, K))
        b1 = rng.normal(size=F_out)
        W2 = rng.normal(size=(F_out * (H // 2) * (W_in // 2), M)) / np.sqrt(F_out * H * W_in / 4)
        b2 = rng.normal(size=M)
        exp = _tiny_cnn_torch(images, W1, b1, W2, b2)
        values = {_bug_names(list(sub)): _tiny_cnn(images, W1, b1, W2, b2, sub)
                  for r in range(1, len(numbers) + 1) for sub in combinations(numbers, r)}
        bugs = known_bugs(exp, _same, **values)
        return Case("tiny_cnn_forward", f"{label}: images {(N, H, W_in, C)}, W1 {(F_out, C, K, K)}, M={M}",
                    (images, W1, b1, W2, b2), exp, compare, bugs=bugs, **kw)

    if not hidden:
        return [case("two images, 3 channels, 3 x 3 kernels", 2, 6, 6, 3, 4, 3, 5),
                case("non-square images", 3, 4, 8, 2, 3, 3, 2),
                case("5 x 5 kernels (padding 2)", 1, 8, 6, 2, 2, 5, 3)]
    r = lambda lo, hi: int(rng.integers(lo, hi))  # noqa: E731
    return [case("random shapes, 3 x 3 kernels", r(1, 4), 2 * r(2, 5), 2 * r(2, 5), r(2, 5), r(2, 5), 3, r(2, 6),
                 weight=2),
            case("random shapes, 5 x 5 kernels", r(1, 4), 2 * r(3, 5), 2 * r(2, 5), r(2, 4), r(2, 4), 5, r(2, 6)),
            case("a single image, many filters", 1, 2 * r(2, 4), 2 * r(2, 4), r(2, 4), r(6, 9), 3, r(2, 6))]


# ---------------------------------------------------------------- build_cnn
@lru_cache(maxsize=1)
def _fashion():
    from nncourse.datasets import fashion_mnist

    return fashion_mnist("train"), fashion_mnist("test")


def cnn_outputs(class_counts, n_images=5):
    """What the probe ``cnn_outputs`` reports, ``(output shape, parameters, outputs)`` per class count
    ``C``: the shape must be ``(n_images, C)``, fewer than ``MAX_PARAMETERS`` parameters, and the
    outputs logits (a softmax at the end gives rows >= 0 that sum to 1)."""

    def compare(got, expected):
        if not isinstance(got, (tuple, list)) or len(got) != len(class_counts):
            return f"expected one result per class count, got {describe(got)}"
        for c, item in zip(class_counts, got):
            shape, n_params, out = item
            out = np.asarray(out, dtype=np.float64)
            probs = out.size > 0 and bool(np.all(out >= 0) and np.allclose(out.sum(axis=-1), 1.0, atol=1e-4))
            if tuple(shape) != (n_images, c):
                return (f"build_cnn({c}) gives outputs of shape {tuple(shape)} for {n_images} images; expected "
                        f"{(n_images, c)}: one logit per class (is the number of classes hard-coded?)")
            if n_params >= MAX_PARAMETERS:
                return (f"build_cnn({c}) has {n_params:,} trainable parameters; at most "
                        f"{MAX_PARAMETERS - 1:,} are allowed (the chapter's CNN has 20,538)")
            if probs:
                return (f"build_cnn({c})'s outputs are probabilities (each row is >= 0 and sums to 1): return "
                        "logits, without a softmax at the end; CrossEntropyLoss applies the softmax itself")
        return None

    return compare


def accuracy_after_training(labels, train_size):
    """The probe's ``(pred after, pred before, epoch losses, CPU seconds)`` against the held-out ``labels``."""
    chance_limit = 0.5

    def compare(got, expected):
        if not isinstance(got, (tuple, list)) or len(got) != 4:
            return (f"expected (predictions, predictions before training, losses, CPU seconds), "
                    f"got {describe(got)}")
        after, before, losses = (np.asarray(g) for g in got[:3])
        for name, pred in (("after", after), ("before", before)):
            if pred.shape != labels.shape or pred.dtype.kind not in "iu":
                return f"the predicted labels {name} training are not {len(labels)} integers"
        acc, acc0 = float(np.mean(after == labels)), float(np.mean(before == labels))
        losses = [float(v) for v in np.ravel(losses)]
        cpu = got[3]
        if isinstance(cpu, bool) or not isinstance(cpu, (int, float)):
            return f"the training's CPU time is not a number: {describe(cpu)}"
        if not cpu <= TRAIN_CPU_SECONDS:
            return (f"the training took {cpu:.1f} s of CPU time, over the budget of {TRAIN_CPU_SECONDS:g} s "
                    "(about 3x the chapter's CNN): make the network cheaper (fewer channels, pool earlier)")
        if acc0 >= chance_limit:
            return (f"the model classifies {acc0:.1%} of the held-out images correctly before any training: "
                    "the grade is for what the training loop achieves (no pre-trained weights or look-up tables)")
        if acc >= ACCURACY:
            return None
        how = (f"held-out accuracy {acc:.1%} after {len(losses)} epochs on {train_size:,} images "
               f"(mean training loss per epoch: {', '.join(f'{v:.3f}' for v in losses)}); at least "
               f"{ACCURACY:.0%} needed (the chapter's CNN reaches about 87%)")
        if not all(np.isfinite(losses)):
            return how + "; the loss became nan or inf: is the learning too unstable (no normalisation)?"
        if min(losses) >= PROBABILITY_LOSS - 0.01:
            return (how + f"; the loss never went below {PROBABILITY_LOSS:.3f}, the smallest cross-entropy of "
                    "probabilities fed to CrossEntropyLoss as if they were logits: is there a softmax at the end?")
        return how + ("; a linear model (no nonlinearity between the layers) reaches about 82%, "
                      "a small CNN with ReLUs about 87%")

    return compare


@lru_cache(maxsize=1)
def _training_sample():
    """The fixed training sample and the visible held-out sample: ``(train indices, test indices)``."""
    rng = np.random.default_rng(20261206)
    train, test = _fashion()
    return (np.sort(rng.choice(len(train[0]), TRAIN_IMAGES, replace=False)),
            np.sort(rng.choice(len(test[0]), TEST_IMAGES, replace=False)))


def _sample(rng, hidden):
    """``(training images as two arrays, their labels, held-out images, their labels)``: the hidden
    held-out images are a secret sample of the test images the visible check does not use."""
    (X, y), (X_test, y_test) = _fashion()
    tr, te = _training_sample()
    if hidden:
        te = np.sort(rng.choice(np.setdiff1d(np.arange(len(X_test)), te), TEST_IMAGES, replace=False))
    half = TRAIN_IMAGES // 2
    return (X[tr[:half]], X[tr[half:]]), y[tr], X_test[te], y_test[te]


@task("build_cnn")
def build_cnn_cases(rng, hidden):
    counts = (3, 7) if not hidden else tuple(int(c) for c in rng.choice([2, 4, 5, 6, 8, 9, 11, 12, 15], 2,
                                                                         replace=False))
    images, labels, test_images, test_labels = _sample(rng, hidden)
    which = "a secret sample of 4,000 other" if hidden else "a fixed sample of 4,000"
    return [
        Case("build_cnn", f"build_cnn(C) for C = {counts[0]} and {counts[1]}: an nn.Module with outputs (5, C) "
             f"(logits, not probabilities) and fewer than {MAX_PARAMETERS:,} parameters",
             (0, counts), None, cnn_outputs(counts), probe="cnn_outputs"),
        Case("build_cnn", f"trained with chapter 6's loop on {TRAIN_IMAGES:,} training images, it "
             f"classifies at least {ACCURACY:.0%} of {which} held-out images correctly, within "
             f"{TRAIN_CPU_SECONDS:g} s of CPU time",
             (0, images, labels, test_images), test_labels, accuracy_after_training(test_labels, TRAIN_IMAGES),
             probe="train_and_predict", seconds=CALL_SECONDS, weight=3),
    ]
