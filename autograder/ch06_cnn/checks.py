"""Checks of ``ch06_cnn``: what each graded function must do, and how it is tested.

NumPy answers (torch hidden in their sandbox): ``conv_output_size``,
``conv2d_forward``, ``maxpool2d_forward`` and ``conv2d_backward``. Their
oracles are torch, here in the grader: the output size of ``F.conv2d``,
``F.conv2d`` and ``F.max_pool2d`` in float64, and autograd through
``F.conv2d`` for the gradients. The values known bugs produce are computed
with torch too (flipped kernel, padding on one side, a crop at the wrong
offset, ...), so that feedback can name them. Inputs are small (at most a few
thousand windows): a correct answer written with plain loops passes within
the call's time limit as well as a vectorised one.

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
