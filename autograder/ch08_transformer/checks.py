"""Checks of ``ch08_transformer``: attention, masks, norms, positions, a debugging task, a block.

The NumPy answers (torch is hidden from them) are checked against oracles
that run here in float64: ``F.scaled_dot_product_attention`` with a boolean
mask, ``F.layer_norm``, ``F.rms_norm``, ``nn.MultiheadAttention`` (no biases,
weights copied in transposed), for the positional encodings the formula
itself, one entry at a time with ``math``, and for the rotary embedding a
rotation by complex multiplication (``torch.polar``). The values the classic
bugs give are computed with NumPy re-implementations with switches, for the
feedback.

The debugging task ``alibi_attention_fixed`` (the release holds a starter with
four planted bugs, :data:`ALIBI_BUGS`) is checked against
``F.scaled_dot_product_attention`` with ALiBi's bias as a float mask; its
known bugs are the values of every non-empty subset of the planted bugs, so
the feedback says which of them are still there.

``TransformerBlock`` is a torch module, driven by the probes of ``probes.py``
in a sandbox of its own. Its oracle, :func:`reference_block`, is a functional
pre-LN block written here from torch primitives (``F.layer_norm``,
``F.scaled_dot_product_attention``, ``F.gelu``) that reads its parameters by
the names the notebook fixes (:func:`block_layout`, the names of the
chapter's ``nncourse.gpt.TransformerBlock``). The block is checked for shape,
causality (changing a future position never changes an earlier output),
pre-LN residual structure (with both output projections zero the block is the
identity), agreement with the reference given the same weights, gradients,
and dropout (off in eval mode, active in train mode).
"""

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from nncourse.grading.checks import Assignment, Case, _shaped_like, all_close, close, describe, known_bugs, sequence

ASSIGNMENT = Assignment("ch08_transformer", prelude="import math\nimport numpy as np", forbid=("torch",),
                        torch_tasks=("TransformerBlock",),
                        probes="probes.py")
task = ASSIGNMENT.task


def _t(x):
    return torch.from_numpy(np.array(x, dtype=np.float64))


_same = all_close()   # a bug's value equal to the right answer names no bug


def _softmax(s, axis=-1, stable=True):
    with np.errstate(all="ignore"):
        e = np.exp(s - s.max(axis=axis, keepdims=True) if stable else s)
        return e / e.sum(axis=axis, keepdims=True)


# ---------------------------------------------------------------- scaled_dot_product_attention
def torch_attention(Q, K, V, mask=None):
    """``(out, weights)`` in float64: ``F.scaled_dot_product_attention`` gives the output,
    the weights are the softmax of the masked, scaled scores."""
    q, k, v = _t(Q), _t(K), _t(V)
    scores = q @ k.transpose(-2, -1) / math.sqrt(Q.shape[-1])                 # (..., Tq, Tk)
    m = None
    if mask is not None:  # broadcast here: some of torch's kernels reject a 1-d mask with 4-d inputs
        m = torch.broadcast_to(torch.from_numpy(np.asarray(mask, dtype=bool)), scores.shape)
        scores = scores.masked_fill(~m, float("-inf"))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=m)
    return out.numpy(), scores.softmax(dim=-1).numpy()


def numpy_attention(Q, K, V, mask=None, scale="d", masking="-inf", axis=-1, stable=True):
    """Attention with switches for the classic bugs: ``scale`` "d" (right), "dv" or None;
    ``masking`` "-inf" (right), "inverted" or "zero"; the softmax ``axis``; ``stable``."""
    s = Q @ np.swapaxes(K, -1, -2)
    if scale:
        s = s / np.sqrt(Q.shape[-1] if scale == "d" else V.shape[-1])
    if mask is not None:
        allowed = np.asarray(mask, dtype=bool)
        if masking == "zero":
            s = np.where(allowed, s, 0.0)
        else:
            s = np.where(~allowed if masking == "inverted" else allowed, s, -np.inf)
    w = _softmax(s, axis=axis, stable=stable)
    with np.errstate(all="ignore"):
        return w @ V, w


def _allowed(rng, shape, p=0.6):
    """A random boolean mask in which every row (last axis) allows at least one key."""
    m = rng.random(shape) < p
    rows = m.reshape(-1, shape[-1])
    rows[np.arange(len(rows)), rng.integers(0, shape[-1], size=len(rows))] = True
    return rows.reshape(shape)


@task("scaled_dot_product_attention")
def attention_cases(rng, hidden):
    tol = close(rtol=1e-7, atol=1e-10)
    compare = sequence(tol, tol, names=("out", "weights"))

    def case(label, Q, K, V, mask=None, keyword=False, **kw):
        exp = torch_attention(Q, K, V, mask)
        bugs = known_bugs(exp, _same, **{
            "the scores are not divided by sqrt(d)": numpy_attention(Q, K, V, mask, scale=None),
            "the scores are divided by sqrt(dv), the width of the values, instead of sqrt(d)":
                numpy_attention(Q, K, V, mask, scale="dv"),
            "the mask is inverted (True must mean: may attend)": numpy_attention(Q, K, V, mask, masking="inverted"),
            "masked scores are set to 0 instead of -inf (a score of 0 still gets weight)":
                numpy_attention(Q, K, V, mask, masking="zero"),
            "the softmax runs over the queries (axis -2) instead of over the keys (axis -1)":
                numpy_attention(Q, K, V, mask, axis=-2),
            "the softmax does not subtract the row maximum before exp (it overflows for large scores)":
                numpy_attention(Q, K, V, mask, stable=False),
        }) if mask is not None else known_bugs(exp, _same, **{
            "the scores are not divided by sqrt(d)": numpy_attention(Q, K, V, scale=None),
            "the scores are divided by sqrt(dv), the width of the values, instead of sqrt(d)":
                numpy_attention(Q, K, V, scale="dv"),
            "the softmax runs over the queries (axis -2) instead of over the keys (axis -1)":
                numpy_attention(Q, K, V, axis=-2),
            "the softmax does not subtract the row maximum before exp (it overflows for large scores)":
                numpy_attention(Q, K, V, stable=False),
        })
        if mask is None:
            args, kwargs = (Q, K, V), {}
        elif keyword:
            args, kwargs = (Q, K, V), {"mask": mask}
        else:
            args, kwargs = (Q, K, V, mask), {}
        return Case("scaled_dot_product_attention", label, args, exp, compare, kwargs=kwargs, bugs=bugs, **kw)

    def qkv(lead, Tq, Tk, d, dv, scale=1.0):
        return (rng.normal(scale=scale, size=(*lead, Tq, d)), rng.normal(scale=scale, size=(*lead, Tk, d)),
                rng.normal(size=(*lead, Tk, dv)))

    if not hidden:
        Q = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])                # (Tq=3, d=2)
        K = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [2.0, 2.0]])   # (Tk=4, d=2)
        V = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0], [3.0, 3.0, 1.0], [0.0, -2.0, 1.0]])  # (Tk=4, dv=3)
        T = 6
        Qp, Kp, Vp = qkv((2,), 4, 5, 6, 3)
        pad = np.ones((2, 1, 5), dtype=bool)
        pad[0, 0, 3:] = False                                            # sequence 0 has 3 real keys
        return [
            case("no batch axis: Q (3, 2), K (4, 2), V (4, 3), no mask", Q, K, V),
            case("a batch of 2: Q (2, 5, 8), K (2, 7, 8), V (2, 7, 3), mask (5, 7) shared by the batch",
                 *qkv((2,), 5, 7, 8, 3), mask=_allowed(rng, (5, 7))),
            case("two leading axes (2, 3), Q, K (2, 3, 6, 4), V (2, 3, 6, 5), a causal mask (6, 6), "
                 "passed as mask=...", *qkv((2, 3), T, T, 4, 5), mask=np.tril(np.ones((T, T), dtype=bool)),
                 keyword=True),
            case("a padding mask (2, 1, 5) that broadcasts over the queries: Q (2, 4, 6), K (2, 5, 6)",
                 Qp, Kp, Vp, mask=pad),
            case("large scores (|Q|, |K| about 1e3) with a mask: no nan, inf or warning",
                 *qkv((2,), 5, 6, 4, 3, scale=1e3), mask=_allowed(rng, (2, 5, 6)), no_warnings=True),
        ]
    lead = tuple(int(n) for n in rng.integers(1, 4, size=int(rng.integers(0, 3))))
    Tq, Tk, d, dv = (int(n) for n in rng.integers(2, 9, size=4))
    Tk += 1 if Tk == Tq else 0
    shapes = [(Tq, Tk), (Tk,), (*lead, Tq, Tk), (*lead, 1, Tk)]
    mshape = shapes[int(rng.integers(len(shapes)))]
    Tc = int(rng.integers(2, 10))
    return [
        case("random leading axes and sizes (Tq != Tk, dv != d), no mask", *qkv(lead, Tq, Tk, d, dv)),
        case("random sizes with a random mask that broadcasts to (..., Tq, Tk)", *qkv(lead, Tq, Tk, d, dv),
             mask=_allowed(rng, mshape), weight=2),
        case("self-attention with a causal mask", *qkv((2,), Tc, Tc, d, dv), mask=np.tril(np.ones((Tc, Tc), bool)),
             keyword=True),
        case("one query and one key (Tq = Tk = 1)", *qkv((3,), 1, 1, d, dv)),
        case("large scores (|Q|, |K| up to 1e4) with a mask: no nan, inf or warning",
             *qkv(lead, Tq, Tk, d, dv, scale=3e3), mask=_allowed(rng, (Tq, Tk)), no_warnings=True, weight=2),
    ]


# ---------------------------------------------------------------- causal_mask
def boolean_array(got, expected):
    arr, problem = _shaped_like(got, expected)
    if problem:
        return problem
    if arr.dtype != np.bool_:
        return f"wrong dtype: got {arr.dtype}, expected bool (True where attending is allowed)"
    wrong = arr != expected
    if wrong.any():
        return f"{int(wrong.sum())} of {arr.size} entries are wrong"
    return None


@task("causal_mask")
def causal_mask_cases(rng, hidden):
    def case(label, T, **kw):
        exp = torch.ones(T, T, dtype=torch.bool).tril().numpy()
        ones = np.ones((T, T), dtype=bool)
        bugs = known_bugs(exp, _same, **{
            "the diagonal is False (np.tril(..., k=-1)): a position must be allowed to attend to itself":
                np.tril(ones, k=-1),
            "it is the upper triangle (True above the diagonal: the future, not the past)": np.triu(ones),
            "it is the strict upper triangle (the mask of forbidden positions, not of allowed ones)":
                np.triu(ones, k=1),
        })
        return Case("causal_mask", label, (T,), exp, boolean_array, bugs=bugs, **kw)

    if not hidden:
        return [case("T = 4", 4), case("T = 1", 1), case("T = 7", 7)]
    return [case("random T", int(rng.integers(8, 60)), weight=2), case("T = 2", 2), case("T = 1", 1)]


# ---------------------------------------------------------------- layer_norm
def numpy_layer_norm(X, gamma, beta, eps=1e-5, ddof=0, axis=-1, eps_outside=False, one_pass=False):
    mu = X.mean(axis=axis, keepdims=True)
    if one_pass:  # E[x^2] - E[x]^2: cancels catastrophically when the mean is large against the spread
        with np.errstate(all="ignore"):
            return gamma * (X - mu) / np.sqrt((X * X).mean(axis=axis, keepdims=True) - mu * mu + eps) + beta
    sd = X.std(axis=axis, keepdims=True, ddof=ddof)
    with np.errstate(all="ignore"):
        den = sd + eps if eps_outside else np.sqrt(X.var(axis=axis, keepdims=True, ddof=ddof) + eps)
        return gamma * (X - mu) / den + beta


@task("layer_norm")
def layer_norm_cases(rng, hidden):
    def case(label, X, gamma, beta, eps=None, **kw):
        e = 1e-5 if eps is None else eps
        exp = F.layer_norm(_t(X), (X.shape[-1],), _t(gamma), _t(beta), eps=e).numpy()
        bugs = known_bugs(exp, _same, **{
            "the variance is the unbiased one (divided by D - 1); layer norm divides by D":
                numpy_layer_norm(X, gamma, beta, e, ddof=1),
            "it normalises over axis 0 (over the batch, like batch norm) instead of over the last axis":
                numpy_layer_norm(X, gamma, beta, e, axis=0) if X.ndim == 2 else None,
            "eps is added to the standard deviation instead of inside the square root (sqrt(var + eps))":
                numpy_layer_norm(X, gamma, beta, e, eps_outside=True),
            "eps is ignored (the default eps=1e-5, or the one given, must be added to the variance)":
                numpy_layer_norm(X, gamma, beta, 0.0),
            "it normalises over all entries at once instead of over each vector's last axis":
                numpy_layer_norm(X, gamma, beta, e, axis=None),
            "gamma and beta are swapped": numpy_layer_norm(X, beta, gamma, e),
            "the variance is computed as E[x^2] - E[x]^2, which cancels when the mean is large against the "
            "spread (here about 12 of 16 digits are lost): subtract the mean first, then square":
                numpy_layer_norm(X, gamma, beta, e, one_pass=True),
        })
        kwargs = {} if eps is None else {"eps": eps}
        return Case("layer_norm", label, (X, gamma, beta), exp, close(rtol=1e-6, atol=1e-9), kwargs=kwargs,
                    bugs=bugs, **kw)

    def params(D):
        return 1.0 + 0.5 * rng.normal(size=D), rng.normal(size=D)

    if not hidden:
        return [
            case("X (4, 5) with mean 3 and std 2, random gamma and beta", rng.normal(3.0, 2.0, (4, 5)), *params(5)),
            case("X (2, 3, 6): each of the 6 vectors normalised over its last axis", rng.normal(size=(2, 3, 6)),
                 *params(6)),
            case("eps=0.5 given: it goes inside the square root", rng.normal(size=(3, 4)), *params(4), eps=0.5),
            case("vectors of small variance (std 1e-3), where eps matters", rng.normal(1.0, 1e-3, (3, 8)),
                 *params(8)),
            case("values about 1e6 with std 1: the mean is subtracted before squaring", rng.normal(1e6, 1.0, (3, 6)),
                 *params(6), no_warnings=True),
        ]
    N, D = int(rng.integers(2, 12)), int(rng.integers(2, 16))
    lead = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(1, 3))))
    return [
        case("random X (N, D)", rng.normal(rng.uniform(-5, 5), rng.uniform(0.5, 5), (N, D)), *params(D), weight=2),
        case("random X with several leading axes", rng.normal(size=(*lead, D)), *params(D)),
        case("a given eps", rng.normal(size=(N, D)), *params(D), eps=float(rng.uniform(0.05, 1.0))),
        case("vectors of small variance (std 1e-3): eps matters", rng.normal(0.0, 1e-3, (N, D)), *params(D)),
        # D >= 4: with two or three entries the sample spread can be tiny, and the case would test luck
        case("values about 1e6 (std 1): stable, no nan, inf or warning", rng.normal(1e6, 1.0, (N, max(D, 4))),
             *params(max(D, 4)), no_warnings=True),
    ]


# ---------------------------------------------------------------- positional_encoding
def formula_positions(T, d):
    """``PE[t, 2i] = sin(t / 10000**(2i/d))``, ``PE[t, 2i+1] = cos(...)``, entry by entry."""
    pe = np.empty((T, d))
    for t in range(T):
        for j in range(d):
            angle = t / 10000.0 ** ((j - j % 2) / d)
            pe[t, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return pe


def numpy_positions(T, d, swap=False, exponent="2i", halves=False, start=0, multiply=False):
    """Sinusoidal encodings with switches for the classic bugs."""
    t = np.arange(start, start + T, dtype=np.float64)[:, None]
    cols = np.arange(d)
    k = {"2i": cols - cols % 2, "2j": 2 * cols, "j": cols}[exponent]
    if halves:
        k = np.concatenate([np.arange(0, d, 2)] * 2)
    angle = t * 10000.0 ** (k / d) if multiply else t / 10000.0 ** (k / d)
    first, second = (np.cos, np.sin) if swap else (np.sin, np.cos)
    if halves:
        return np.concatenate([first(angle[:, : d // 2]), second(angle[:, d // 2:])], axis=1)
    return np.where(cols % 2 == 0, first(angle), second(angle))


@task("positional_encoding")
def positional_encoding_cases(rng, hidden):
    def case(label, T, d, **kw):
        exp = formula_positions(T, d)
        bugs = known_bugs(exp, _same, **{
            "sin and cos are swapped (even columns take sin, odd columns cos)": numpy_positions(T, d, swap=True),
            "the exponent is 2j/d with j the column index; it must be 2i/d with i = j // 2, the same for "
            "columns 2i and 2i+1": numpy_positions(T, d, exponent="2j"),
            "the exponent is j/d with j the column index, so odd columns get (2i+1)/d instead of 2i/d":
                numpy_positions(T, d, exponent="j"),
            "sin and cos are in two halves (all sines, then all cosines); they must interleave: sin in "
            "column 2i, cos in column 2i+1": numpy_positions(T, d, halves=True),
            "positions start at 1 instead of 0": numpy_positions(T, d, start=1),
            "t is multiplied by 10000**(2i/d) instead of divided by it": numpy_positions(T, d, multiply=True),
        })
        return Case("positional_encoding", label, (T, d), exp, close(rtol=1e-9, atol=1e-10), bugs=bugs, **kw)

    if not hidden:
        return [case("T = 4, d = 4", 4, 4), case("T = 50, d = 16", 50, 16), case("T = 3, d = 2", 3, 2),
                case("T = 1, d = 6", 1, 6)]
    return [case("random T and even d", int(rng.integers(20, 200)), 2 * int(rng.integers(4, 40)), weight=2),
            case("random T, d = 2", int(rng.integers(5, 30)), 2),
            case("T = 1, random even d", 1, 2 * int(rng.integers(2, 10)))]


# ---------------------------------------------------------------- multi_head_attention
def torch_mha(X, Wq, Wk, Wv, Wo, n_heads, causal=False):
    """``torch.nn.MultiheadAttention`` (no biases, batch first) with our weights, float64."""
    N, T, d = X.shape
    mha = nn.MultiheadAttention(d, n_heads, bias=False, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(_t(np.concatenate([Wq.T, Wk.T, Wv.T])))
        mha.out_proj.weight.copy_(_t(Wo.T))
        x = _t(X)
        forbidden = torch.ones(T, T, dtype=torch.bool).triu(1) if causal else None  # True: may NOT attend
        out, _ = mha(x, x, x, attn_mask=forbidden, need_weights=False)
    return out.numpy()


def numpy_mha(X, Wq, Wk, Wv, Wo, n_heads, causal=False, strided=False, scale_width=None, project=True,
              transpose_back=True, wo_transposed=False):
    """Multi-head attention with switches for the classic bugs."""
    N, T, d = X.shape
    h, dh = n_heads, d // n_heads

    def split(Z):  # (N, T, d) -> (N, h, T, dh)
        if strided:  # head i = channels i, i + h, i + 2h, ...
            return Z.reshape(N, T, dh, h).transpose(0, 3, 1, 2)
        return Z.reshape(N, T, h, dh).transpose(0, 2, 1, 3)

    q, k, v = split(X @ Wq), split(X @ Wk), split(X @ Wv)
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(scale_width or dh)
    if causal:
        s = np.where(np.tril(np.ones((T, T), dtype=bool)), s, -np.inf)
    y = _softmax(s) @ v                                          # (N, h, T, dh)
    if not transpose_back:
        concat = y.reshape(N, T, d)
    elif strided:
        concat = y.transpose(0, 2, 3, 1).reshape(N, T, d)
    else:
        concat = y.transpose(0, 2, 1, 3).reshape(N, T, d)
    if not project:
        return concat
    return concat @ (Wo.T if wo_transposed else Wo)


@task("multi_head_attention")
def mha_cases(rng, hidden):
    def case(label, N, T, d, h, causal=None, scale=1.0, **kw):
        X = rng.normal(scale=scale, size=(N, T, d))
        Ws = [rng.normal(scale=1.0 / math.sqrt(d), size=(d, d)) for _ in range(4)]
        args = (X, *Ws, h)
        exp = torch_mha(*args, causal=bool(causal))
        c = bool(causal)
        bugs = known_bugs(exp, _same, **{
            "the heads are strided slices (head i = channels i, i + h, ...) instead of consecutive ones "
            "(head i = channels i*d/h to (i+1)*d/h)": numpy_mha(*args, causal=c, strided=True),
            "the scores are divided by sqrt(d) instead of sqrt(d / n_heads), the width of one head":
                numpy_mha(*args, causal=c, scale_width=d),
            "the output projection Wo is missing": numpy_mha(*args, causal=c, project=False),
            "the causal mask is ignored": numpy_mha(*args, causal=False) if c else None,
            "a causal mask is applied although causal=False": numpy_mha(*args, causal=True) if not c else None,
            "the heads are concatenated by a reshape of (N, h, T, d/h) without moving the head axis back "
            "next to the channels": numpy_mha(*args, causal=c, transpose_back=False),
            "the output projection uses Wo.T instead of Wo": numpy_mha(*args, causal=c, wo_transposed=True),
        })
        kwargs = {} if causal is None else {"causal": causal}
        return Case("multi_head_attention", label, args, exp, close(rtol=1e-7, atol=1e-10), kwargs=kwargs,
                    bugs=bugs, **kw)

    if not hidden:
        return [case("N = 2, T = 5, d = 8, 2 heads (causal not given: False)", 2, 5, 8, 2),
                case("N = 2, T = 5, d = 8, 2 heads, causal=True", 2, 5, 8, 2, causal=True),
                case("one head: N = 1, T = 4, d = 6, causal=False", 1, 4, 6, 1, causal=False),
                case("4 heads of width 3: N = 3, T = 6, d = 12, causal=True", 3, 6, 12, 4, causal=True)]
    h, dh = int(rng.integers(2, 5)), int(rng.integers(2, 6))
    N, T = int(rng.integers(1, 4)), int(rng.integers(3, 10))
    return [case("random sizes and heads, causal=False", N, T, h * dh, h, causal=False, weight=2),
            case("random sizes and heads, causal=True", N, T, h * dh, h, causal=True, weight=2),
            case("heads of width 1 (n_heads = d), causal=True", N, T, h, h, causal=True),
            case("a single position (T = 1), causal=True", N, 1, h * dh, h, causal=True),
            case("inputs about 1e2 (large scores): no nan, inf or warning", N, T, h * dh, h, causal=True,
                 scale=1e2, no_warnings=True)]


# ---------------------------------------------------------------- rms_norm
def numpy_rms_norm(X, gamma, eps=1e-6, centre=False, eps_outside=False, axis=-1, total=False):
    """RMS norm with switches for the classic bugs: ``centre`` (subtract the mean first, as layer
    norm does), ``eps_outside`` (``sqrt(ms) + eps``), ``axis``, ``total`` (the L2 norm, a sum
    instead of a mean)."""
    Z = X - X.mean(axis=axis, keepdims=True) if centre else X
    ms = (Z ** 2).sum(axis=axis, keepdims=True) if total else (Z ** 2).mean(axis=axis, keepdims=True)
    with np.errstate(all="ignore"):
        den = np.sqrt(ms) + eps if eps_outside else np.sqrt(ms + eps)
        return Z / den * gamma


@task("rms_norm")
def rms_norm_cases(rng, hidden):
    def case(label, X, gamma, eps=None, **kw):
        e = 1e-6 if eps is None else eps
        exp = F.rms_norm(_t(X), (X.shape[-1],), _t(gamma), eps=e).numpy()
        bugs = known_bugs(exp, _same, **{
            "the mean is subtracted first (that is layer norm without beta); RMS norm does not centre":
                numpy_rms_norm(X, gamma, e, centre=True),
            "eps is added to the root instead of inside it (sqrt(mean(x**2) + eps))":
                numpy_rms_norm(X, gamma, e, eps_outside=True),
            "eps is 1e-5 (layer norm's default); rms_norm's default is 1e-6": numpy_rms_norm(X, gamma, 1e-5)
            if eps is None else None,
            "eps is ignored": numpy_rms_norm(X, gamma, 0.0),
            "the squares are summed, not averaged (the L2 norm instead of the root mean square)":
                numpy_rms_norm(X, gamma, e, total=True),
            "it normalises over axis 0 (over the batch) instead of over the last axis":
                numpy_rms_norm(X, gamma, e, axis=0) if X.ndim >= 2 and X.shape[0] > 1 else None,
            "gamma is not applied": numpy_rms_norm(X, np.ones_like(gamma), e),
        })
        kwargs = {} if eps is None else {"eps": eps}
        return Case("rms_norm", label, (X, gamma), exp, close(rtol=1e-9, atol=1e-12), kwargs=kwargs, bugs=bugs,
                    **kw)

    def gain(D):
        return 1.0 + 0.5 * rng.normal(size=D)

    if not hidden:
        return [
            case("X (4, 5) with mean 2 and std 1, random gamma", rng.normal(2.0, 1.0, (4, 5)), gain(5)),
            case("X (2, 3, 6): each of the 6 vectors over its last axis", rng.normal(size=(2, 3, 6)), gain(6)),
            case("eps=0.25 given: it goes inside the square root", rng.normal(size=(3, 4)), gain(4), eps=0.25),
            case("vectors of small values (about 1e-3): the default eps=1e-6 matters",
                 rng.normal(0.0, 1e-3, (3, 8)), gain(8)),
            case("values about 1e4: no nan, inf or warning", rng.normal(0.0, 1e4, (2, 7)), gain(7),
                 no_warnings=True),
        ]
    N, D = int(rng.integers(2, 12)), int(rng.integers(2, 16))
    lead = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(1, 3))))
    return [
        case("random X (N, D)", rng.normal(rng.uniform(-3, 3), rng.uniform(0.5, 5), (N, D)), gain(D), weight=2),
        case("random X with several leading axes", rng.normal(size=(*lead, D)), gain(D)),
        case("a given eps", rng.normal(size=(N, D)), gain(D), eps=float(rng.uniform(0.05, 1.0))),
        case("small values (about 1e-3): the default eps matters", rng.normal(0.0, 1e-3, (N, D)), gain(D)),
        case("values up to 1e4: stable", rng.normal(0.0, 3e3, (N, D)), gain(D), no_warnings=True),
    ]


# ---------------------------------------------------------------- rotary_embedding
def complex_rotary(X, base=10000.0):
    """The oracle: each pair ``(x[2i], x[2i+1])`` as the complex number ``x[2i] + i x[2i+1]``,
    multiplied by ``exp(i t base**(-2i/d))`` (``torch.polar``), in float64."""
    x = _t(X)
    T, d = x.shape[-2:]
    z = torch.view_as_complex(x.reshape(*x.shape[:-1], d // 2, 2).contiguous())          # (..., T, d/2)
    i2 = torch.arange(0, d, 2, dtype=torch.float64)
    angle = torch.arange(T, dtype=torch.float64)[:, None] * float(base) ** (-i2 / d)     # (T, d/2)
    return torch.view_as_real(z * torch.polar(torch.ones_like(angle), angle)).reshape(x.shape).numpy()


def numpy_rotary(X, base=10000.0, sign=1.0, halves=False, exponent="2i", start=0, time_axis=-2):
    """Rotary embedding with switches for the classic bugs: ``sign`` -1 turns the wrong way;
    ``halves`` pairs channel i with i + d/2 (the "rotate half" layout); ``exponent`` "i" uses
    ``base**(-i/d)``; ``start`` the first position; ``time_axis`` the axis read as positions."""
    T = X.shape[time_axis]
    d = X.shape[-1]
    i = np.arange(d // 2)
    k = 2 * i if exponent == "2i" else i
    angle = sign * np.arange(start, start + T)[:, None] * float(base) ** (-k / d)       # (T, d/2)
    if time_axis != -2:      # positions along another axis: broadcast them there
        shape = [1] * X.ndim
        shape[time_axis], shape[-1] = T, d // 2
        angle = angle.reshape(shape)
    cos, sin = np.cos(angle), np.sin(angle)
    if halves:
        x0, x1 = X[..., : d // 2], X[..., d // 2:]
        return np.concatenate([x0 * cos - x1 * sin, x0 * sin + x1 * cos], axis=-1)
    x0, x1 = X[..., 0::2], X[..., 1::2]
    out = np.empty_like(X)
    out[..., 0::2], out[..., 1::2] = x0 * cos - x1 * sin, x0 * sin + x1 * cos
    return out


@task("rotary_embedding")
def rotary_cases(rng, hidden):
    def case(label, X, base=None, **kw):
        b = 10000.0 if base is None else base
        exp = complex_rotary(X, b)
        bugs = known_bugs(exp, _same, **{
            "the pairs turn the wrong way (the angle's sign is flipped: x0 cos + x1 sin, -x0 sin + x1 cos)":
                numpy_rotary(X, b, sign=-1.0),
            "channel i is paired with channel i + d/2 (the 'rotate half' layout); here the pairs are the "
            "neighbours (2i, 2i+1)": numpy_rotary(X, b, halves=True),
            "the exponent is i/d with i the pair's index; it must be 2i/d (base**(-2i/d))":
                numpy_rotary(X, b, exponent="i"),
            "positions start at 1 instead of 0 (position 0 is not turned at all)": numpy_rotary(X, b, start=1),
            "the positions are counted along the first axis instead of along axis -2 (T)":
                numpy_rotary(X, b, time_axis=0) if X.ndim > 2 else None,
            "the base argument is ignored (10000 is used)": numpy_rotary(X, 10000.0) if base is not None else None,
        })
        kwargs = {} if base is None else {"base": base}
        return Case("rotary_embedding", label, (X,), exp, close(rtol=1e-9, atol=1e-12), kwargs=kwargs, bugs=bugs,
                    **kw)

    if not hidden:
        return [
            case("X (T=4, d=4), no batch axis", rng.normal(size=(4, 4))),
            case("X (2, 5, 6): a batch of 2 sequences", rng.normal(size=(2, 5, 6))),
            case("X (2, 3, 7, 8): batch and heads first, base=100.0", rng.normal(size=(2, 3, 7, 8)), base=100.0),
            case("d = 2: one pair per position, T = 6", rng.normal(size=(6, 2))),
            case("T = 1: position 0 is not rotated", rng.normal(size=(3, 1, 4))),
        ]
    lead = tuple(int(n) for n in rng.integers(2, 4, size=int(rng.integers(1, 3))))
    T, d = int(rng.integers(3, 20)), 2 * int(rng.integers(1, 9))
    return [
        case("random leading axes, T and even d", rng.normal(size=(*lead, T, d)), weight=2),
        case("random sizes with a given base", rng.normal(size=(*lead, T, d)), base=float(rng.uniform(50, 5000))),
        case("long sequence (T = 200), d = 16", rng.normal(size=(200, 16))),
    ]


# ---------------------------------------------------------------- debugging: alibi_attention_fixed
ALIBI_BUGS = {   # the planted bugs of the starter, in the order of its lines
    "scale": "the scores are divided by D instead of sqrt(D)",
    "distance": "the distance is s - t (key minus query), so the penalty became a bonus for distant keys",
    "mask": "the mask is the upper triangle (np.triu): each query sees the future, not the past",
    "axis": "the weights are normalised over the queries (axis -2) instead of over the keys",
}


def numpy_alibi_attention(Q, K, V, slopes, scale=False, distance=False, mask=False, axis=False):
    """The contract of ``alibi_attention_fixed``, with a switch for each planted bug."""
    N, H, T, D = Q.shape
    scores = Q @ np.swapaxes(K, -1, -2) / (D if scale else np.sqrt(D))     # (N, H, T, T)
    t = np.arange(T)
    back = t[None, :] - t[:, None] if distance else t[:, None] - t[None, :]  # (T, T): t - s
    scores = scores - np.asarray(slopes)[:, None, None] * back
    allowed = np.triu(np.ones((T, T), dtype=bool)) if mask else np.tril(np.ones((T, T), dtype=bool))
    scores = np.where(allowed, scores, -np.inf)
    with np.errstate(all="ignore"):
        w = np.exp(scores - scores.max(axis=-1, keepdims=True))
        w = w / w.sum(axis=-2 if axis else -1, keepdims=True)
        return w @ V, w


def _bug_subsets():
    """Every non-empty subset of the planted bugs, as (description, switches)."""
    from itertools import combinations
    names = list(ALIBI_BUGS)
    for r in range(1, len(names) + 1):
        for combo in combinations(names, r):
            idx = [str(names.index(n) + 1) for n in combo]
            which = f"bug {idx[0]} is" if r == 1 else f"bugs {', '.join(idx[:-1])} and {idx[-1]} are"
            yield (f"planted {which} still there ({'; '.join(ALIBI_BUGS[n] for n in combo)})",
                   {n: True for n in combo})


@task("alibi_attention_fixed")
def alibi_cases(rng, hidden):
    tol = close(rtol=1e-7, atol=1e-10)
    compare = sequence(tol, tol, names=("out", "weights"))

    def case(label, N, H, T, D, Dv, scale=1.0, slopes=None, **kw):
        Q = rng.normal(scale=scale, size=(N, H, T, D))
        K = rng.normal(scale=scale, size=(N, H, T, D))
        V = rng.normal(size=(N, H, T, Dv))
        m = 2.0 ** (-8.0 * np.arange(1, H + 1) / H) if slopes is None else slopes    # (H,), ALiBi's slopes
        exp = torch_alibi(Q, K, V, m)
        bugs = known_bugs(exp, _same, **{what: numpy_alibi_attention(Q, K, V, m, **sw)
                                          for what, sw in _bug_subsets()})
        return Case("alibi_attention_fixed", label, (Q, K, V, m), exp, compare, bugs=bugs, **kw)

    if not hidden:
        return [
            case("N = 1, H = 2 heads, T = 5, D = 4 (ALiBi slopes 1/16, 1/256)", 1, 2, 5, 4, 4),
            case("N = 2, H = 4, T = 6, D = 8, values of width 3", 2, 4, 6, 8, 3),
            case("steep slopes (1, 0.5, 0.25): nearly all weight on the last keys", 2, 3, 4, 2, 2,
                 slopes=np.array([1.0, 0.5, 0.25])),
            case("large scores (|Q|, |K| about 30): no nan, inf or warning", 1, 2, 5, 4, 2, scale=30.0,
                 no_warnings=True),
        ]
    N, H = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    T, D, Dv = int(rng.integers(3, 10)), int(rng.integers(2, 9)), int(rng.integers(1, 6))
    return [
        case("random sizes, ALiBi slopes", N, H, T, D, Dv, weight=2),
        case("random sizes, random slopes in (0, 1)", N, H, T, D, Dv, slopes=rng.uniform(0.01, 1.0, H)),
        case("two positions (T = 2)", N, H, 2, D, Dv),
    ]


def torch_alibi(Q, K, V, slopes):
    """The oracle: ``F.scaled_dot_product_attention`` with ALiBi's bias as a float mask
    (``-slope * (t - s)`` on and below the diagonal, ``-inf`` above), and the weights from
    ``torch.softmax`` of the same scores."""
    q, k, v = _t(Q), _t(K), _t(V)
    T = q.shape[-2]
    t = torch.arange(T, dtype=torch.float64)
    back = t[:, None] - t[None, :]                                                    # (T, T)
    bias = -_t(slopes)[:, None, None] * back                                          # (H, T, T)
    bias = bias.masked_fill(back < 0, float("-inf"))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias.expand(q.shape[0], -1, -1, -1))
    w = (q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]) + bias).softmax(dim=-1)
    return out.numpy(), w.numpy()


# ---------------------------------------------------------------- TransformerBlock
def block_layout(d_model, d_ff):
    """The block's parameters, by name, in ``state_dict`` order (the notebook fixes them)."""
    C, Fw = d_model, d_ff
    return [("ln1.weight", (C,)), ("ln1.bias", (C,)),
            ("attn.qkv.weight", (3 * C, C)), ("attn.qkv.bias", (3 * C,)),
            ("attn.proj.weight", (C, C)), ("attn.proj.bias", (C,)),
            ("ln2.weight", (C,)), ("ln2.bias", (C,)),
            ("mlp.fc.weight", (Fw, C)), ("mlp.fc.bias", (Fw,)),
            ("mlp.proj.weight", (C, Fw)), ("mlp.proj.bias", (C,))]


def random_weights(rng, d_model, d_ff, zero_projections=False):
    """Reference parameters as ``(name, array)`` pairs: layer norms near 1, biases small,
    matrices of unit gain, queries and keys large enough that attention is far from uniform."""
    out = []
    for name, shape in block_layout(d_model, d_ff):
        if name.startswith("ln") and name.endswith("weight"):
            a = 1.0 + 0.3 * rng.normal(size=shape)
        elif name.endswith("bias"):
            a = 0.2 * rng.normal(size=shape)
        else:
            a = rng.normal(size=shape) / math.sqrt(shape[1])
            if name == "attn.qkv.weight":
                a[: 2 * d_model] *= 2.0
        if zero_projections and name.endswith(("proj.weight", "proj.bias")):
            a = np.zeros(shape)
        out.append((name, a))
    return out


def reference_block(x, weights, n_heads, post_norm=False, attn_residual=True, mlp_residual=True, causal=True,
                    activation="gelu", scale="head", strided=False):
    """The pre-LN block ``x + attn(ln1(x))``, then ``x + mlp(ln2(x))``, in float64, from torch
    primitives and the named ``weights``; the switches give the classic bugs."""
    W = {name: _t(a) for name, a in weights}
    h = _t(x)
    N, T, C = h.shape
    D = C // n_heads
    act = {"gelu": F.gelu, "relu": F.relu, "tanh-gelu": lambda z: F.gelu(z, approximate="tanh")}[activation]

    def ln(z, i):
        return F.layer_norm(z, (C,), W[f"ln{i}.weight"], W[f"ln{i}.bias"])

    def attn(z):
        q, k, v = F.linear(z, W["attn.qkv.weight"], W["attn.qkv.bias"]).split(C, dim=-1)   # 3 x (N, T, C)
        if strided:
            q, k, v = (u.view(N, T, D, n_heads).permute(0, 3, 1, 2) for u in (q, k, v))   # (N, H, T, D)
        else:
            q, k, v = (u.view(N, T, n_heads, D).transpose(1, 2) for u in (q, k, v))      # (N, H, T, D)
        s = {"head": None, "none": 1.0, "model": 1.0 / math.sqrt(C)}[scale]
        y = F.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=s)           # (N, H, T, D)
        y = y.permute(0, 2, 3, 1) if strided else y.transpose(1, 2)
        return F.linear(y.reshape(N, T, C), W["attn.proj.weight"], W["attn.proj.bias"])

    def mlp(z):
        return F.linear(act(F.linear(z, W["mlp.fc.weight"], W["mlp.fc.bias"])),
                        W["mlp.proj.weight"], W["mlp.proj.bias"])

    with torch.no_grad():
        if post_norm:
            h = ln(h + attn(h), 1)
            h = ln(h + mlp(h), 2)
        else:
            h = (h if attn_residual else 0) + attn(ln(h, 1))
            h = (h if mlp_residual else 0) + mlp(ln(h, 2))
    return h.numpy()


BLOCK_BUGS = {
    "the layer norms come after the residual additions (post-LN: ln(x + attn(x))); the block is pre-LN, "
    "x + attn(ln1(x))": dict(post_norm=True),
    "the MLP branch has no residual connection (x = mlp(ln2(x)) instead of x = x + mlp(ln2(x)))":
        dict(mlp_residual=False),
    "the attention branch has no residual connection": dict(attn_residual=False),
    "the attention is not causal (position t sees the positions after it)": dict(causal=False),
    "the MLP uses ReLU instead of GELU": dict(activation="relu"),
    "the MLP uses the tanh approximation of GELU; use the exact one (nn.GELU(), F.gelu)":
        dict(activation="tanh-gelu"),
    "the attention scores are not divided by sqrt(D), D = d_model / n_heads": dict(scale="none"),
    "the attention scores are divided by sqrt(d_model) instead of sqrt(d_model / n_heads)": dict(scale="model"),
    "the heads are strided channels instead of consecutive slices of q, k and v": dict(strided=True),
}


def _block_bugs(x, weights, n_heads, expected):
    return known_bugs(expected, _same, **{bug: reference_block(x, weights, n_heads, **sw) for bug, sw in BLOCK_BUGS.items()})


def reference_grads(x, weights, n_heads, grad):
    """``(out, dx, [dparam, ...])`` of ``sum(reference_block(x) * grad)``, by torch autograd."""
    W = [(name, _t(a).requires_grad_(True)) for name, a in weights]
    xt = _t(x).requires_grad_(True)
    with torch.enable_grad():
        y = _functional_block(xt, dict(W), n_heads)
        (y * _t(grad)).sum().backward()
    return y.detach().numpy(), xt.grad.numpy(), [w.grad.numpy() for _, w in W]


def _functional_block(x, W, n_heads):
    """The same block as :func:`reference_block`, on tensors, with autograd."""
    N, T, C = x.shape
    D = C // n_heads
    h = F.layer_norm(x, (C,), W["ln1.weight"], W["ln1.bias"])
    q, k, v = (u.view(N, T, n_heads, D).transpose(1, 2)
               for u in F.linear(h, W["attn.qkv.weight"], W["attn.qkv.bias"]).split(C, dim=-1))
    y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(N, T, C)
    x = x + F.linear(y, W["attn.proj.weight"], W["attn.proj.bias"])
    h = F.layer_norm(x, (C,), W["ln2.weight"], W["ln2.bias"])
    return x + F.linear(F.gelu(F.linear(h, W["mlp.fc.weight"], W["mlp.fc.bias"])),
                        W["mlp.proj.weight"], W["mlp.proj.bias"])


BLOCK_TOL = dict(rtol=1e-6, atol=1e-8)


def _arrays(got, n, shape):
    """Why ``got`` is not a tuple of ``n`` float arrays of ``shape`` (None if it is)."""
    if not isinstance(got, (tuple, list)) or len(got) != n:
        return f"the probe expected {n} outputs, got {describe(got)}"
    for g in got:
        if not isinstance(g, np.ndarray) or g.shape != shape:
            return f"the block's output is {describe(g)}, expected an array of shape {shape} (N, T, d_model)"
        if not np.isfinite(g).all():
            return "the block's output has nan or inf entries"
    return None


def causality(p):
    """The outputs before position ``p`` do not change when the input at ``p`` does; those
    at ``p`` and after do; the block is deterministic in eval mode."""
    def compare(got, shape):
        problem = _arrays(got, 3, shape)
        if problem:
            return problem
        y, again, y2 = got
        if not np.array_equal(y, again):
            return "two forward passes on the same input differ in eval mode (is dropout on in eval mode?)"
        diff = np.abs(y2 - y).max(axis=(0, 2))                     # (T,) largest change per position
        if diff[:p].max(initial=0.0) > 1e-10:
            return (f"changing the input at position {p} changed the outputs at positions before it (by up to "
                    f"{diff[:p].max():.3g}): position t must never see positions after t (causal mask)")
        if diff[p] <= 1e-10:
            return f"changing the input at position {p} did not change the output at position {p}"
        if p + 1 < len(diff) and diff[p + 1:].max() <= 1e-10:
            return (f"changing the input at position {p} did not change the outputs after it: later positions "
                    "must see position p through attention")
        return None

    return compare


def dropout_behaviour(got_compare):
    def compare(got, expected_eval):
        problem = _arrays(got, 3, expected_eval.shape)
        if problem:
            return problem
        y_eval, y_train, y_again = got
        problem = got_compare(y_eval, expected_eval)
        if problem:
            return f"with dropout=0.5 in eval mode (dropout must be off): {problem}"
        if np.array_equal(y_train, y_again):
            return ("with dropout=0.5 in train mode, two forward passes gave the same output: "
                    "the dropout argument is not used")
        return None

    return compare


def grads_compare(names):
    arr = close(**BLOCK_TOL)

    def compare(got, expected):
        if not isinstance(got, (tuple, list)) or len(got) != 3 or not isinstance(got[2], (tuple, list)) \
                or len(got[2]) != len(names):
            return f"the probe expected (out, dx, [one gradient per parameter]), got {describe(got)}"
        for what, g, e in [("output", got[0], expected[0]), ("gradient of x", got[1], expected[1]),
                           *((f"gradient of {n}", g, e) for n, g, e in zip(names, got[2], expected[2]))]:
            problem = arr(g, e)
            if problem:
                return f"{what}: {problem}" + (" (is the output detached from the graph, or computed outside "
                                               "torch?)" if what != "output" and not np.any(g) else "")
        return None

    return compare


@task("TransformerBlock")
def block_cases(rng, hidden):
    out_ok = close(**BLOCK_TOL)

    def config(N, T, C, H, Ff):
        return (C, H, Ff), rng.normal(size=(N, T, C))

    def agree(label, N, T, C, H, Ff, **kw):
        dims, x = config(N, T, C, H, Ff)
        w = random_weights(rng, C, Ff)
        exp = reference_block(x, w, H)
        return Case("TransformerBlock", label, (*dims, w, x), exp, out_ok, bugs=_block_bugs(x, w, H, exp),
                    probe="block_forward", unchanged=False, **kw)

    def identity(label, N, T, C, H, Ff, **kw):
        dims, x = config(N, T, C, H, Ff)
        w = random_weights(rng, C, Ff, zero_projections=True)
        bugs = _block_bugs(x, w, H, x)
        return Case("TransformerBlock", label, (*dims, w, x), x, out_ok, bugs=bugs, probe="block_forward",
                    unchanged=False, **kw)

    def causal(label, N, T, C, H, Ff, p, **kw):
        dims, x = config(N, T, C, H, Ff)
        x2 = x.copy()
        x2[:, p] = rng.normal(size=(N, C))
        return Case("TransformerBlock", label, (*dims, x, x2), (N, T, C), causality(p),
                    probe="block_causality", unchanged=False, kwargs={"seed": int(rng.integers(1000))}, **kw)

    def shape(label, N, T, C, H, Ff, **kw):
        dims, x = config(N, T, C, H, Ff)

        def compare(got, shape):
            return _arrays((got,), 1, shape)

        return Case("TransformerBlock", label, (*dims, None, x), (N, T, C), compare, probe="block_forward",
                    unchanged=False, kwargs={"seed": int(rng.integers(1000))}, **kw)

    def gradients(label, N, T, C, H, Ff, **kw):
        dims, x = config(N, T, C, H, Ff)
        w = random_weights(rng, C, Ff)
        g = rng.normal(size=x.shape)
        exp = reference_grads(x, w, H, g)
        return Case("TransformerBlock", label, (*dims, w, x), exp, grads_compare([n for n, _ in w]),
                    probe="block_forward", unchanged=False, kwargs={"grad": g}, **kw)

    def dropout(label, N, T, C, H, Ff, **kw):
        dims, x = config(N, T, C, H, Ff)
        w = random_weights(rng, C, Ff)
        exp = reference_block(x, w, H)
        return Case("TransformerBlock", label, (*dims, w, x, 0.5), exp, dropout_behaviour(out_ok),
                    probe="block_dropout", unchanged=False, **kw)

    if not hidden:
        return [
            shape("shapes: its own initialisation, x (2, 5, 16), 4 heads, d_ff 64 -> (2, 5, 16)", 2, 5, 16, 4, 64),
            causal("causality: changing position 3 of x (2, 7, 16) changes no output before position 3",
                   2, 7, 16, 4, 64, 3),
            identity("pre-LN residual structure: with both output projections (attn.proj, mlp.proj) zero, "
                     "the block is the identity", 2, 5, 16, 4, 64),
            agree("agrees with the reference block given the same weights: x (2, 6, 16), 4 heads, d_ff 64",
                  2, 6, 16, 4, 64, weight=2),
            agree("agrees with the reference block: one head, x (1, 4, 8), d_ff 16", 1, 4, 8, 1, 16),
            gradients("gradients of x and of every parameter agree with the reference's (autograd works "
                      "through the block)", 2, 4, 8, 2, 32),
            dropout("dropout=0.5: off in eval mode (agrees with the reference), on in train mode", 2, 5, 8, 2, 16),
        ]
    H = int(rng.integers(1, 5))
    C = H * int(rng.integers(2, 7))
    Ff = int(rng.integers(C, 4 * C + 1))
    N, T = int(rng.integers(1, 4)), int(rng.integers(4, 10))
    return [
        shape("shapes for random sizes, T = 1", N, 1, C, H, Ff),
        causal("causality for random sizes", N, T, C, H, Ff, int(rng.integers(1, T - 1))),
        identity("identity with both output projections zero, random sizes", N, T, C, H, Ff),
        agree("agrees with the reference block, random sizes", N, T, C, H, Ff, weight=3),
        agree("agrees with the reference block, a single position (T = 1)", 2, 1, C, H, Ff),
        gradients("gradients agree with the reference's, random sizes", N, T, C, H, Ff),
    ]
