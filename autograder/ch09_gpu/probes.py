"""Probes of ``ch09_gpu``: how the grader calls answers that take torch objects.

Only JSON crosses the sandbox boundary, so a check cannot hand a model or an
optimizer to an answer. Each probe below builds them inside the sandbox from
a small description (a seed, sizes, names), calls the answer, and reports
what it observed as numbers, strings and float64 arrays. The grader runs the
same probes on its own oracles (``checks.py``), so the answer and the oracle
see identical models, data and optimizers.

Names given by the harness: ``wire``, ``np``, ``captured``. torch is imported
inside the functions (the module itself must load without it).
"""

MACHINES = {  # (cuda available, mps available) -> what the checks call that machine
    (False, False): "a machine with neither CUDA nor MPS",
    (False, True): "a machine with MPS but no CUDA",
    (True, False): "a machine with CUDA but no MPS",
    (True, True): "a machine with both CUDA and MPS",
}


def _no_args_after(args):
    return [None for _ in args]


def _init_from(model, g):
    """Give every parameter of ``model`` values drawn from the generator ``g``, uniform in
    +-1/sqrt(fan_in) like ``nn.Linear``'s default. Probes never touch torch's global random
    state: the grader builds models for several submissions at once, in threads."""
    import torch

    with torch.no_grad():
        for p in model.parameters():
            fan_in = p.shape[1] if p.dim() > 1 else p.shape[0]
            p.copy_((torch.rand(p.shape, generator=g, dtype=p.dtype) * 2 - 1) / fan_in ** 0.5)


# ---------------------------------------------------------------- get_device
def describe_device(d) -> str:
    """``"cuda"`` for ``torch.device("cuda")``; anything else is named by its type."""
    import torch

    if isinstance(d, torch.device):
        return d.type
    return f"not a torch.device: a {type(d).__name__} ({str(d)[:30]!r})"


def probe_device_preference(fn, args, kwargs, ns):
    """Call ``fn()`` on simulated machines: ``args[0]`` is a sequence of
    ``(cuda, mps)`` booleans; for each, ``torch.cuda.is_available`` and
    ``torch.backends.mps.is_available`` (and ``torch.mps.is_available``) are
    replaced by functions returning them. The originals are restored however the
    call ends. Reports one :func:`describe_device` string per machine."""
    import torch

    mps_mod = getattr(torch, "mps", None)
    saved = [(torch.cuda, "is_available", torch.cuda.is_available),
             (torch.backends.mps, "is_available", torch.backends.mps.is_available)]
    if mps_mod is not None and hasattr(mps_mod, "is_available"):
        saved.append((mps_mod, "is_available", mps_mod.is_available))
    out, warns = [], []
    try:
        for cuda, mps in args[0]:
            torch.cuda.is_available = lambda cuda=bool(cuda): cuda
            for owner, name, _ in saved[1:]:
                setattr(owner, name, lambda mps=bool(mps): mps)
            d, w = captured(fn, **kwargs)
            out.append(describe_device(d))
            warns += w
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
    return {"value": wire.encode(tuple(out)), "args_after": _no_args_after(args), "warnings": warns[:5]}


# ---------------------------------------------------------------- count_parameters
def build_counting_model(spec):
    """A small language-model-like network from ``spec = (vocab, d, hidden, n_blocks,
    tied, norm, frozen)``: an embedding ``(vocab, d)``; ``n_blocks`` MLP blocks
    ``Linear(d, hidden) -> GELU -> Linear(hidden, d)`` each followed by a norm layer
    (``norm``: ``"layer"``, ``"batch"`` (with running-statistics buffers) or ``""``);
    a head ``Linear(d, vocab, bias=False)`` whose weight IS the embedding's when
    ``tied``; and a causal-mask buffer. The parameters at the indices ``frozen`` of
    ``list(model.parameters())`` get ``requires_grad=False``."""
    import torch
    from torch import nn

    vocab, d, hidden, n_blocks, tied, norm, frozen = spec

    class TinyLM(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(vocab, d)
            layers = []
            for _ in range(n_blocks):
                layers += [nn.Linear(d, hidden), nn.GELU(), nn.Linear(hidden, d)]
                if norm == "layer":
                    layers.append(nn.LayerNorm(d))
                elif norm == "batch":
                    layers.append(nn.BatchNorm1d(d))
            self.blocks = nn.Sequential(*layers)
            self.head = nn.Linear(d, vocab, bias=False)
            if tied:
                self.head.weight = self.embed.weight       # one tensor, used by two modules
            self.register_buffer("mask", torch.tril(torch.ones(8, 8)))  # a buffer, not a parameter

        def forward(self, idx):                            # (B,) token ids
            return self.head(self.blocks(self.embed(idx)))  # (B, vocab)

    model = TinyLM()
    params = list(model.parameters())
    for i in frozen:
        params[int(i)].requires_grad_(False)
    return model


def probe_count_parameters(fn, args, kwargs, ns):
    """``fn(build_counting_model(args[0]), **kwargs)``: its value, as returned."""
    model = build_counting_model(args[0])
    value, warns = captured(fn, model, **kwargs)
    return {"value": wire.encode(value), "args_after": _no_args_after(args), "warnings": warns}


# ---------------------------------------------------------------- optimizers
class SGD:
    """``torch.optim.SGD(params, lr, momentum)`` (no dampening, no Nesterov, no weight decay),
    written out: the same interface for an answer (``param_groups``, ``state``,
    ``zero_grad(set_to_none=True)``, ``step()``) and the same update. Why not torch's own:
    building any ``torch.optim`` optimizer imports ``torch._dynamo``, about 2 s of CPU in
    every sandbox, i.e. most of the cost of grading a submission. ``steps`` counts the
    calls of ``step()``."""

    def __init__(self, params, lr, momentum=0.0):
        self.param_groups = [{"params": list(params), "lr": float(lr), "momentum": float(momentum)}]
        self.state = {}
        self.steps = 0

    def __repr__(self):
        g = self.param_groups[0]
        return f"SGD(lr={g['lr']}, momentum={g['momentum']})"

    def zero_grad(self, set_to_none=True):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        p.grad.detach_()
                        p.grad.zero_()

    def _update(self, p, group):
        d_p = p.grad
        if group["momentum"]:
            buf = self.state.setdefault(p, {}).get("momentum_buffer")
            if buf is None:
                buf = self.state[p]["momentum_buffer"] = d_p.detach().clone()
            else:
                buf.mul_(group["momentum"]).add_(d_p)
            d_p = buf
        p.add_(d_p, alpha=-group["lr"])

    def state_dict(self):
        """``torch.optim``'s layout: ``{"state": {index: {...}}, "param_groups": [{..., "params":
        [indices]}]}``, parameters numbered in order over the groups; the state's tensors are
        the optimizer's own (not copies), as in torch."""
        index, groups, k = {}, [], 0
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index[id(p)] = k
                ids.append(k)
                k += 1
            groups.append({**{key: v for key, v in group.items() if key != "params"}, "params": ids})
        state = {index[id(p)]: dict(s) for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore a :meth:`state_dict` (copies of its tensors), as ``torch.optim`` does."""
        import torch

        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups) or any(
                len(g["params"]) != len(mine["params"]) for g, mine in zip(groups, self.param_groups)):
            raise ValueError("loaded state dict has a different number of parameter groups or parameters")
        params = {}
        for g, mine in zip(groups, self.param_groups):
            params.update(zip(g["params"], mine["params"]))
            mine.update({key: v for key, v in g.items() if key != "params"})
        self.state = {}
        for k, s in state_dict["state"].items():
            p = params[int(k)]
            self.state[p] = {key: (v.detach().clone().to(p.dtype) if torch.is_tensor(v) and v.is_floating_point()
                                   else v.clone() if torch.is_tensor(v) else v) for key, v in s.items()}

    def step(self, closure=None):
        import torch

        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        with torch.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        self._update(p, group)
        self.steps += 1
        return loss


class Adam(SGD):
    """``torch.optim.Adam(params, lr)`` (betas 0.9, 0.999, eps 1e-8), written out like :class:`SGD`."""

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8):
        self.param_groups = [{"params": list(params), "lr": float(lr), "betas": tuple(betas), "eps": float(eps)}]
        self.state = {}
        self.steps = 0

    def __repr__(self):
        return f"Adam(lr={self.param_groups[0]['lr']})"

    def _update(self, p, group):
        import torch

        b1, b2 = group["betas"]
        st = self.state.setdefault(p, {})
        if not st:
            st.update(step=0, exp_avg=torch.zeros_like(p), exp_avg_sq=torch.zeros_like(p))
        st["step"] += 1
        g = p.grad
        st["exp_avg"].lerp_(g, 1 - b1)                                  # m = b1 m + (1 - b1) g
        st["exp_avg_sq"].mul_(b2).addcmul_(g, g, value=1 - b2)          # v = b2 v + (1 - b2) g^2
        step_size = group["lr"] / (1 - b1 ** st["step"])
        denom = (st["exp_avg_sq"].sqrt() / (1 - b2 ** st["step"]) ** 0.5).add_(group["eps"])
        p.addcdiv_(st["exp_avg"], denom, value=-step_size)


# ---------------------------------------------------------------- amp_train_step
class SpyScaler:
    """Stands in for ``torch.amp.GradScaler`` (whose float16 scaling needs a GPU) and
    records the calls made to it. Like the real one: ``scale(loss)`` multiplies the loss
    by the scale; ``unscale_(optimizer)`` divides the gradients of the optimizer's
    parameters by it; ``step(optimizer)`` unscales them (unless done already) and calls
    ``optimizer.step()``; ``update()`` ends the iteration."""

    def __init__(self, scale):
        self.s = float(scale)
        self.calls = []
        self._unscaled = False

    def scale(self, loss):
        self.calls.append("scale")
        return loss * self.s

    def unscale_(self, optimizer):
        self.calls.append("unscale_")
        self._unscale(optimizer)

    def _unscale(self, optimizer):
        if self._unscaled:
            return
        for group in optimizer.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.grad.div_(self.s)
        self._unscaled = True

    def step(self, optimizer, *args, **kwargs):
        self.calls.append("step")
        self._unscale(optimizer)
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale=None):
        self.calls.append("update")
        self._unscaled = False

    def get_scale(self):
        return self.s

    def is_enabled(self):
        return True


def build_amp_problem(spec):
    """A float32 MLP classifier on the CPU, a batch, an SGD optimizer and a loss, from
    ``spec = (seed, n, d_in, hidden, classes, x_scale, lr)``. Every parameter starts with
    a stale, non-zero ``.grad`` (what an earlier step left there)."""
    import torch
    from torch import nn

    seed, n, d_in, hidden, classes, x_scale, lr = spec
    g = torch.Generator().manual_seed(int(seed))
    model = nn.Sequential(nn.Linear(d_in, hidden), nn.GELU(), nn.Linear(hidden, classes))
    _init_from(model, g)
    x = torch.randn(n, d_in, generator=g) * float(x_scale)   # (N, D)
    y = torch.randint(0, classes, (n,), generator=g)        # (N,)
    for p in model.parameters():
        p.grad = torch.randn(p.shape, generator=g)           # stale gradients
    optimizer = SGD(model.parameters(), lr=float(lr), momentum=0.9)
    return model, x, y, optimizer, nn.CrossEntropyLoss()


def autocast_state(device_type="cpu") -> str:
    """``"cpu/bfloat16"`` inside ``torch.autocast("cpu", dtype=torch.bfloat16)``, ``"off"`` outside."""
    import torch

    if not torch.is_autocast_enabled(device_type):
        return "off"
    return f"{device_type}/{str(torch.get_autocast_dtype(device_type)).replace('torch.', '')}"


def probe_amp_step(fn, args, kwargs, ns):
    """Build :func:`build_amp_problem` ``(args[0])`` and call
    ``fn(model, x, y, optimizer, loss_fn, [dtype=...], [scaler=SpyScaler(s)])``, where
    ``args[1]`` names the dtype (``""``: not passed) and ``args[2]`` is the spy's scale
    (0: no scaler passed). Reports ``(loss, weights after, autocast state seen by the
    model's forward, optimizer steps taken, scaler calls)``."""
    import torch

    model, x, y, optimizer, loss_fn = build_amp_problem(args[0])
    states = []
    model.register_forward_hook(lambda m, i, o: states.append(autocast_state("cpu")))
    call_kwargs = dict(kwargs)
    if args[1]:
        call_kwargs["dtype"] = getattr(torch, str(args[1]))
    scaler = SpyScaler(args[2]) if args[2] else None
    if scaler is not None:
        call_kwargs["scaler"] = scaler
    value, warns = captured(fn, model, x, y, optimizer, loss_fn, **call_kwargs)
    weights = tuple(p.detach().double().numpy().copy() for p in model.parameters())
    state = states[0] if len(set(states)) == 1 else ("never called" if not states else "+".join(states))
    calls = tuple(scaler.calls) if scaler is not None else ()
    return {"value": wire.encode((value, weights, state, optimizer.steps, calls)),
            "args_after": _no_args_after(args), "warnings": warns}


# ---------------------------------------------------------------- accumulated_step
def build_accumulation_problem(spec):
    """A float64 MLP, ``k`` equal micro-batches, an optimizer and a loss, from
    ``spec = (seed, sizes, k, micro, optimizer, lr, loss)``: ``sizes`` the layer widths
    (Tanh between layers), ``optimizer`` ``"sgd"`` (momentum 0.9) or ``"adam"``, ``loss``
    ``"ce"`` (classes = last width) or ``"mse"``. Every parameter starts with a stale,
    non-zero ``.grad``."""
    import torch
    from torch import nn

    seed, sizes, k, micro, opt_name, lr, loss_name = spec
    g = torch.Generator().manual_seed(int(seed))
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1], dtype=torch.float64))
        if i < len(sizes) - 2:
            layers.append(nn.Tanh())
    model = nn.Sequential(*layers)
    _init_from(model, g)
    x = torch.randn(k * micro, sizes[0], generator=g, dtype=torch.float64)             # (k*m, D)
    if loss_name == "ce":
        y, loss_fn = torch.randint(0, sizes[-1], (k * micro,), generator=g), nn.CrossEntropyLoss()
    else:
        y, loss_fn = torch.randn(k * micro, sizes[-1], generator=g, dtype=torch.float64), nn.MSELoss()
    micro_batches = [(x[i * micro:(i + 1) * micro], y[i * micro:(i + 1) * micro]) for i in range(k)]
    for p in model.parameters():
        p.grad = torch.randn(p.shape, generator=g, dtype=p.dtype)   # stale gradients
    if opt_name == "adam":
        optimizer = Adam(model.parameters(), lr=float(lr))
    else:
        optimizer = SGD(model.parameters(), lr=float(lr), momentum=0.9)
    return model, micro_batches, optimizer, loss_fn


def probe_accumulated_step(fn, args, kwargs, ns):
    """Build :func:`build_accumulation_problem` ``(args[0])`` and call
    ``fn(model, micro_batches, optimizer, loss_fn)``. Reports ``(weights after, the
    largest batch a forward pass saw, optimizer steps taken)``."""
    model, micro_batches, optimizer, loss_fn = build_accumulation_problem(args[0])
    rows = [0]
    model.register_forward_pre_hook(lambda m, inp: rows.append(int(inp[0].shape[0])))
    _, warns = captured(fn, model, micro_batches, optimizer, loss_fn, **kwargs)
    weights = tuple(p.detach().numpy().copy() for p in model.parameters())
    return {"value": wire.encode((weights, max(rows), optimizer.steps)),
            "args_after": _no_args_after(args), "warnings": warns}


# ---------------------------------------------------------------- checkpoint
def build_dropout_mlp(sizes, p):
    """A float32 MLP ``sizes[0] -> ... -> sizes[-1]`` with ReLU and ``Dropout(p)`` after every
    hidden layer, in training mode, built with ``nn.Linear``'s default initialisation (which
    draws from torch's global RNG, like any model built in a notebook)."""
    from torch import nn

    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers += [nn.ReLU(), nn.Dropout(p)]
    return nn.Sequential(*layers).train()


def _checkpoint_run(spec):
    """The pieces of a checkpoint case from ``spec = (seed, sizes, p, optimizer, lr, stops,
    total, batch)``: a builder of (model, optimizer) and the ``total`` batches, drawn from a
    generator of their own (as a data loader resumed at a step would hand them out)."""
    import torch
    from torch import nn

    seed, sizes, p, opt_name, lr, stops, total, batch = spec
    g = torch.Generator().manual_seed(int(seed))
    data = [(torch.randn(batch, sizes[0], generator=g),                     # (N, D)
             torch.randint(0, sizes[-1], (batch,), generator=g)) for _ in range(total)]

    def build(init_from_generator):
        model = build_dropout_mlp(sizes, float(p))
        if init_from_generator:
            _init_from(model, torch.Generator().manual_seed(int(seed) + 1))
        if opt_name == "adam":
            return model, Adam(model.parameters(), lr=float(lr))
        return model, SGD(model.parameters(), lr=float(lr), momentum=0.9)

    loss_fn = nn.CrossEntropyLoss()

    def train(model, optimizer, batches):
        for x, y in batches:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()                               # dropout: global RNG
            optimizer.step()

    return build, data, train


def run_uninterrupted(spec):
    """The oracle of a checkpoint case: ``total`` steps in one go, from the same start (torch's
    global RNG seeded, then the model built). Returns the parameters, float64 arrays."""
    import torch

    with torch.random.fork_rng(devices=[]):
        build, data, train = _checkpoint_run(spec)
        torch.manual_seed(int(spec[0]))
        model, optimizer = build(True)
        train(model, optimizer, data)
        return tuple(q.detach().double().numpy().copy() for q in model.parameters())


def probe_checkpoint(fn, args, kwargs, ns):
    """``fn()`` returns the pair ``(save_checkpoint, load_checkpoint)``. From the start of
    :func:`run_uninterrupted`, train to each step ``s`` of ``stops`` in turn and there:
    ``save_checkpoint(path, model, optimizer, s)``; move the file to another name (the
    checkpoint must be the file); move torch's global RNG on; build a fresh model (default
    initialisation, so other weights) and optimizer; ``step = load_checkpoint(path, model,
    optimizer)``; continue from batch ``step``. After the last stop, train to ``total``.
    Reports ``(parameters at the end, the steps load_checkpoint returned, whether each save
    wrote a file at its path)``. torch's global RNG is restored afterwards."""
    import operator
    import os
    import tempfile

    import torch

    spec = args[0]
    stops, total = spec[5], spec[6]
    save, load = fn()
    build, data, train = _checkpoint_run(spec)
    steps, wrote = [], []
    with tempfile.TemporaryDirectory() as tmp, torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(spec[0]))
        model, optimizer = build(True)
        done = 0
        for k, stop in enumerate(stops):
            train(model, optimizer, data[done:stop])
            path = os.path.join(tmp, f"run{k}.pt")
            _, warns = captured(save, path, model, optimizer, int(stop))
            wrote.append(os.path.isfile(path))
            if not wrote[-1]:
                break
            moved = os.path.join(tmp, f"moved{k}.pt")
            os.replace(path, moved)
            del model, optimizer
            torch.manual_seed(int(spec[0]) + 1000 + k)                      # the RNG moves on
            torch.rand(int(stop) + 7)
            model, optimizer = build(False)                                  # other weights
            step, w = captured(load, moved, model, optimizer)
            warns += w
            try:          # a value, not a form: an int, a NumPy integer, a 0-d integer tensor, 5.0
                step = operator.index(step)
            except TypeError:
                try:
                    as_float = float(step)
                except (TypeError, ValueError):
                    as_float = None
                if as_float is None or not as_float.is_integer():
                    steps.append(f"not a whole number: a {type(step).__name__}")
                    break
                step = int(as_float)
            steps.append(step)
            done = min(max(step, 0), total)
        else:
            train(model, optimizer, data[done:total])
        weights = tuple(q.detach().double().numpy().copy() for q in model.parameters())
    return {"value": wire.encode((weights, tuple(steps), tuple(wrote))),
            "args_after": _no_args_after(args), "warnings": warns[:5]}


def probe_uninterrupted(fn, args, kwargs, ns):
    """For the grader's oracle: :func:`run_uninterrupted` ``(args[0])``, reported like
    :func:`probe_checkpoint` would report a correct pair (``fn`` is not called)."""
    spec = args[0]
    value = (run_uninterrupted(spec), tuple(int(s) for s in spec[5]), tuple(True for _ in spec[5]))
    return {"value": wire.encode(value), "args_after": _no_args_after(args), "warnings": []}


# ---------------------------------------------------------------- the debugging task
def build_scaled_accumulation_problem(spec):
    """A float32 MLP classifier, ``k`` equal micro-batches, an optimizer (SGD with momentum or
    Adam), a cross-entropy loss and a :class:`SpyScaler`, from ``spec = (seed, n, d_in, hidden,
    classes, k, x_scale, lr, optimizer, scale, clip_ratio)``. Every parameter starts with a
    stale ``.grad``. Also returns ``max_norm``: ``clip_ratio`` times the norm of the full
    batch's gradient under float16 autocast (below 1: clipping acts; above: it does not)."""
    import torch
    from torch import nn

    seed, n, d_in, hidden, classes, k, x_scale, lr, opt_name, scale, clip_ratio = spec
    g = torch.Generator().manual_seed(int(seed))
    model = nn.Sequential(nn.Linear(d_in, hidden), nn.GELU(), nn.Linear(hidden, classes))
    _init_from(model, g)
    x = torch.randn(k * n, d_in, generator=g) * float(x_scale)       # (k*N, D)
    y = torch.randint(0, classes, (k * n,), generator=g)             # (k*N,)
    micro_batches = [(x[i * n:(i + 1) * n], y[i * n:(i + 1) * n]) for i in range(k)]
    loss_fn = nn.CrossEntropyLoss()
    with torch.autocast("cpu", dtype=torch.float16):
        full = loss_fn(model(x), y)
    grads = torch.autograd.grad(full, list(model.parameters()))
    max_norm = float(clip_ratio) * float(torch.sqrt(sum((q.float() ** 2).sum() for q in grads)))
    for p in model.parameters():
        p.grad = torch.randn(p.shape, generator=g)                    # stale gradients
    if opt_name == "adam":
        optimizer = Adam(model.parameters(), lr=float(lr))
    else:
        optimizer = SGD(model.parameters(), lr=float(lr), momentum=0.9)
    return model, micro_batches, optimizer, loss_fn, SpyScaler(scale), max_norm


def probe_scaled_accumulation(fn, args, kwargs, ns):
    """Build :func:`build_scaled_accumulation_problem` ``(args[0])`` and call ``fn(model,
    micro_batches, optimizer, loss_fn, scaler, max_norm=max_norm, dtype=torch.float16)``.
    Reports ``(value returned, parameters after, autocast states the model's forward passes
    ran under, optimizer steps, scaler calls)``."""
    import torch

    model, micro_batches, optimizer, loss_fn, scaler, max_norm = build_scaled_accumulation_problem(args[0])
    states = []
    model.register_forward_hook(lambda m, i, o: states.append(autocast_state("cpu")))
    value, warns = captured(fn, model, micro_batches, optimizer, loss_fn, scaler, max_norm=max_norm,
                            dtype=torch.float16, **kwargs)
    weights = tuple(p.detach().double().numpy().copy() for p in model.parameters())
    return {"value": wire.encode((value, weights, tuple(sorted(set(states))), optimizer.steps,
                                  tuple(scaler.calls))),
            "args_after": _no_args_after(args), "warnings": warns}


PROBES = {
    "device_preference": probe_device_preference,
    "count_parameters": probe_count_parameters,
    "amp_step": probe_amp_step,
    "accumulated_step": probe_accumulated_step,
    "checkpoint": probe_checkpoint,
    "uninterrupted": probe_uninterrupted,
    "scaled_accumulation": probe_scaled_accumulation,
}
