"""Probes of ``ch08_transformer``: how a student's ``TransformerBlock`` is driven.

The same functions run in the torch sandbox (on the student's class), in the
student's notebook (visible checks) and in the grader (``checks.py`` does not
use them on a reference: its oracle is a functional block, see there). Inputs
arrive as arrays; every block is built under ``torch.manual_seed(seed)``,
converted to float64 with ``.double()`` and put in eval mode unless a probe
says otherwise; outputs leave as float64 arrays.

``weights`` is a list of ``(name, array)`` pairs: the reference parameters,
loaded with ``load_state_dict(strict=True)`` after their names and shapes are
compared with the block's own, so that a layout that differs from the one the
notebook fixes gets a short message naming the differences.

Given by the harness: ``wire``, ``np``, ``captured``.
"""


def _build(cls, d_model, n_heads, d_ff, seed, dropout=None):
    import torch

    torch.manual_seed(int(seed))
    args = (int(d_model), int(n_heads), int(d_ff))
    block = cls(*args) if dropout is None else cls(*args, dropout=float(dropout))
    if not isinstance(block, torch.nn.Module):
        raise TypeError(f"TransformerBlock(...) gave a {type(block).__name__}, not a torch.nn.Module")
    return block.double().eval()


def _few(names):
    return ", ".join(names[:3]) + (f" (+{len(names) - 3} more)" if len(names) > 3 else "")


def _load(block, weights):
    """Load the reference ``weights`` into ``block``, or say how its layout differs."""
    import torch

    want = {str(name): torch.from_numpy(np.array(a, dtype=np.float64)) for name, a in weights}
    have = block.state_dict()
    problems = []
    missing = [k for k in want if k not in have]
    extra = [k for k in have if k not in want]
    shapes = [f"{k} {tuple(have[k].shape)} (expected {tuple(want[k].shape)})"
              for k in want if k in have and tuple(have[k].shape) != tuple(want[k].shape)]
    if missing:
        problems.append(f"no {_few(missing)}")
        if extra:
            problems.append(f"instead {_few(extra)}")
    elif extra:
        problems.append(f"extra {_few(extra)} (a causal mask buffer needs persistent=False)")
    if shapes:
        problems.append(f"wrong shape {_few(shapes)}")
    if problems:
        raise ValueError("its state_dict does not follow the notebook's layout: " + "; ".join(problems))
    block.load_state_dict(want, strict=True)


def _forward(block, x):
    import torch

    y = block(x)
    if not isinstance(y, torch.Tensor):
        raise TypeError(f"forward returned a {type(y).__name__}, expected a tensor (N, T, d_model)")
    return y


def _array(y):
    return y.detach().cpu().double().numpy()


def _reply(value, warns):
    return {"value": wire.encode(value), "args_after": [], "warnings": warns}


def probe_block_forward(cls, args, kwargs, ns):
    """``(d_model, n_heads, d_ff, weights, x)``: the output of the block with ``weights``
    (``None``: its own seeded initialisation) on ``x``. With ``grad`` (an array like the
    output): also the gradients of ``sum(output * grad)`` with respect to ``x`` and to
    every parameter named in ``weights``, in that order: ``(out, dx, [dparam, ...])``."""
    import torch

    d_model, n_heads, d_ff, weights, x = args
    grad = kwargs.get("grad")

    def run():
        block = _build(cls, d_model, n_heads, d_ff, kwargs.get("seed", 0))
        if weights is not None:
            _load(block, weights)
        xt = torch.from_numpy(np.array(x, dtype=np.float64))
        if grad is None:
            with torch.no_grad():
                return _array(_forward(block, xt))
        xt.requires_grad_(True)
        y = _forward(block, xt)
        (y * torch.from_numpy(np.array(grad, dtype=np.float64))).sum().backward()
        params = dict(block.named_parameters())
        none = lambda p: np.zeros(tuple(p.shape)) if p.grad is None else _array(p.grad)  # noqa: E731
        dx = np.zeros(xt.shape) if xt.grad is None else _array(xt.grad)
        return _array(y), dx, [none(params[str(name)]) for name, _ in weights]

    return _reply(*captured(run))


def probe_block_causality(cls, args, kwargs, ns):
    """``(d_model, n_heads, d_ff, x, x2)``: the block (its own seeded initialisation) on
    ``x``, on ``x`` again, and on ``x2`` (``x`` with one position changed):
    ``(y, y_again, y2)``."""
    import torch

    d_model, n_heads, d_ff, x, x2 = args

    def run():
        block = _build(cls, d_model, n_heads, d_ff, kwargs.get("seed", 0))
        with torch.no_grad():
            return tuple(_array(_forward(block, torch.from_numpy(np.array(z, dtype=np.float64))))
                         for z in (x, x, x2))

    return _reply(*captured(run))


def probe_block_dropout(cls, args, kwargs, ns):
    """``(d_model, n_heads, d_ff, weights, x, p)``: the block built with ``dropout=p`` and
    ``weights``, in eval mode, then twice in train mode: ``(y_eval, y_train, y_train_again)``."""
    import torch

    d_model, n_heads, d_ff, weights, x, p = args

    def run():
        block = _build(cls, d_model, n_heads, d_ff, kwargs.get("seed", 0), dropout=p)
        _load(block, weights)
        xt = torch.from_numpy(np.array(x, dtype=np.float64))
        with torch.no_grad():
            y_eval = _array(_forward(block, xt))
            block.train()
            return y_eval, _array(_forward(block, xt)), _array(_forward(block, xt))

    return _reply(*captured(run))


PROBES = {"block_forward": probe_block_forward, "block_causality": probe_block_causality,
          "block_dropout": probe_block_dropout}
