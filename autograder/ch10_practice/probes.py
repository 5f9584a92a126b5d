"""Probes of ``ch10_practice``: how the grader calls answers that take torch objects or callables.

Only JSON crosses the sandbox boundary, so a check cannot hand a module, a model
or a ``predict_proba`` function to an answer. Each probe below builds them inside
the sandbox from a small description (a seed and sizes), calls the answer, and
reports what it observed as numbers, strings and float64 arrays. The grader runs
the same probes on its own oracles (``checks.py``), so the answer and the oracle
see identical weights, data and optimizers. The sandbox cannot import the course
package: everything a probe needs is written out here.

Names given by the harness: ``wire``, ``np``, ``captured``. torch is imported
inside the functions (the module itself must load without it). Probes never
depend on torch's global random state (the grader runs oracles for several
submissions, one at a time, but a student's module may draw from it when it is
built): weights and data come from seeded ``torch.Generator`` objects, and a
constructor's own draws are undone with ``torch.random.fork_rng``.
"""


def _no_args_after(args):
    return [None for _ in args]


def _one_thread():
    """Run torch on one thread (as the grader does); return a function that restores the old count."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    return lambda: torch.set_num_threads(before)


# ---------------------------------------------------------------- ResidualBlock
def block_keys(c_in, c_out, stride):
    """The state_dict of the syllabus's block: ``[(key, shape)]`` in registration order; the
    shortcut is a 1x1 conv + batch norm unless ``stride == 1`` and the channels agree."""
    def bn(prefix, c):
        return [(f"{prefix}.weight", (c,)), (f"{prefix}.bias", (c,)), (f"{prefix}.running_mean", (c,)),
                (f"{prefix}.running_var", (c,)), (f"{prefix}.num_batches_tracked", ())]

    keys = [("conv1.weight", (c_out, c_in, 3, 3)), *bn("bn1", c_out),
            ("conv2.weight", (c_out, c_out, 3, 3)), *bn("bn2", c_out)]
    if stride != 1 or c_in != c_out:
        keys += [("shortcut.0.weight", (c_out, c_in, 1, 1)), *bn("shortcut.1", c_out)]
    return keys


def reference_state(spec):
    """Random weights for a block (float32, as a fresh module holds them) and non-trivial
    batch-norm state (scales, shifts, running statistics, a step count), from
    ``spec = (seed, c_in, c_out, stride, N, H, W)``."""
    import torch

    seed, c_in, c_out, stride = (int(v) for v in spec[:4])
    g = torch.Generator().manual_seed(seed)
    state = {}
    for key, shape in block_keys(c_in, c_out, stride):
        name = key.rsplit(".", 1)[1]
        if name == "num_batches_tracked":
            state[key] = torch.tensor(7, dtype=torch.long)
        elif name == "weight" and len(shape) == 4:           # a convolution: (C_out, C_in, KH, KW)
            fan_in = shape[1] * shape[2] * shape[3]
            state[key] = torch.randn(shape, generator=g) * (2.0 / fan_in) ** 0.5
        elif name == "weight":                                 # a batch norm's scale
            state[key] = 0.5 + torch.rand(shape, generator=g)
        elif name == "bias":
            state[key] = 0.3 * torch.randn(shape, generator=g)
        elif name == "running_mean":
            state[key] = 0.4 * torch.randn(shape, generator=g)
        else:                                                  # running_var
            state[key] = 0.4 + 1.6 * torch.rand(shape, generator=g)
    return state


def _load_problem(module, state):
    """Why ``state`` does not load into ``module`` with ``strict=True`` ('' if it does)."""
    have = module.state_dict()
    missing = [k for k in state if k not in have]
    unexpected = [k for k in have if k not in state]
    shapes = [f"{k} {tuple(have[k].shape)} (expected {tuple(state[k].shape)})" for k in state
              if k in have and tuple(have[k].shape) != tuple(state[k].shape)]
    parts = []
    if missing:
        parts.append(f"missing keys {missing[:6]}")
    if unexpected:
        parts.append(f"unexpected keys {unexpected[:6]}")
    if shapes:
        parts.append(f"wrong shapes {shapes[:4]}")
    if parts:
        return "; ".join(parts)
    try:
        module.load_state_dict(state, strict=True)
    except Exception as e:  # noqa: BLE001 - reported, not raised
        return f"{type(e).__name__}: {str(e)[:200]}"
    return ""


def run_block(cls, spec):
    """Build ``cls(c_in, c_out, stride)``, load :func:`reference_state` with ``strict=True``,
    convert to float64, and run it on ``x (N, C_in, H, W)``: in eval mode (running
    statistics), then in train mode (batch statistics; the running statistics move) with
    a backward pass of ``sum(out * R)`` for a random ``R``. Reports ``("ok", output shape,
    eval output, train output, gradient with respect to x, the batch-norm buffers after
    the train-mode pass)`` or ``("load", why the weights do not load)``."""
    import torch

    seed, c_in, c_out, stride, N, H, W = (int(v) for v in spec)
    state = reference_state(spec)
    with torch.random.fork_rng(devices=[]):
        block = cls(c_in, c_out, stride)
    if not isinstance(block, torch.nn.Module):
        raise TypeError(f"ResidualBlock({c_in}, {c_out}, {stride}) is a {type(block).__name__}, "
                        "not a torch.nn.Module")
    problem = _load_problem(block, state)
    if problem:
        return ("load", problem)
    block = block.double()
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(N, c_in, H, W, generator=g, dtype=torch.float64) * 1.3 + 0.2   # (N, C_in, H, W)
    block.eval()
    with torch.no_grad():
        out_eval = block(x)                                   # (N, C_out, H', W')
    if not isinstance(out_eval, torch.Tensor):
        raise TypeError(f"the forward pass returned a {type(out_eval).__name__}, not a tensor")
    block.train()
    xg = x.clone().requires_grad_(True)
    out_train = block(xg)
    R = torch.randn(out_train.shape, generator=g, dtype=torch.float64)
    (out_train * R).sum().backward()
    grad = xg.grad if xg.grad is not None else torch.zeros_like(x)
    after = block.state_dict()
    buffers = tuple(after[k].detach().double().numpy().copy() if k in after else np.zeros(0)
                    for k, _ in block_keys(c_in, c_out, stride) if k.endswith(("running_mean", "running_var")))
    return ("ok", tuple(int(s) for s in out_eval.shape), out_eval.detach().numpy().copy(),
            out_train.detach().numpy().copy(), grad.detach().numpy().copy(), buffers)


def probe_residual_block(cls, args, kwargs, ns):
    """:func:`run_block` ``(cls, args[0])`` on one thread."""
    restore = _one_thread()
    try:
        value, warns = captured(run_block, cls, args[0])
    finally:
        restore()
    return {"value": wire.encode(value), "args_after": _no_args_after(args), "warnings": warns}


# ---------------------------------------------------------------- replace_head
def build_head_model(spec):
    """A small pre-trained-looking classifier from ``spec = (seed, order, d, old_classes,
    frozen)``: a body (conv 3x3 without bias, batch norm, ReLU, global average pool,
    flatten, ``Linear(4, d)``, ReLU) and a final ``head = nn.Linear(d, old_classes)``.
    ``order`` ``"body-first"`` registers the body before the head, ``"head-first"`` the
    head first (the head is still applied last). The parameters at the indices
    ``frozen`` of ``list(model.named_parameters())`` are frozen already. Weights come
    from the seed; the batch norm has non-trivial running statistics."""
    import torch
    from torch import nn

    seed, order, d, old_classes, frozen = spec

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            def body():
                return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(),
                                     nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, int(d)), nn.ReLU())
            if order == "head-first":
                self.head = nn.Linear(int(d), int(old_classes))
                self.body = body()
            else:
                self.body = body()
                self.head = nn.Linear(int(d), int(old_classes))

        def forward(self, x):                                # (N, 1, H, W)
            return self.head(self.body(x))                   # (N, d) -> (N, classes)

    with torch.random.fork_rng(devices=[]):
        model = Classifier()
    g = torch.Generator().manual_seed(int(seed))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
        bn = model.body[1]
        bn.running_mean.copy_(torch.randn(4, generator=g) * 0.3)
        bn.running_var.copy_(0.5 + torch.rand(4, generator=g))
    for i, (_, p) in enumerate(model.named_parameters()):
        if i in set(int(k) for k in frozen):
            p.requires_grad_(False)
    return model.eval()


def _param_names(returned, named):
    """The names of the returned parameters (matched by identity), or why they cannot be read."""
    import torch

    by_id = {id(p): n for n, p in named}
    if isinstance(returned, torch.Tensor) or returned is None or isinstance(returned, (str, bytes, dict)):
        return f"not a list of parameters: a {type(returned).__name__}"
    try:
        items = list(returned)
    except TypeError:
        return f"not a list of parameters: a {type(returned).__name__}"
    names = []
    for item in items:
        if isinstance(item, dict) and "params" in item:       # a parameter group
            return "not a list of parameters: a list of parameter groups (dicts)"
        if id(item) not in by_id:
            return (f"not a list of the model's parameters (it holds a {type(item).__name__} that is not "
                    "one of model.parameters())")
        names.append(by_id[id(item)])
    return tuple(sorted(names))


def run_replace_head(fn, spec, num_classes, freeze):
    """Call ``fn(model, num_classes[, freeze=freeze])`` on :func:`build_head_model` ``(spec)``
    (``freeze`` None: not passed). Reports ``(head: "Linear" or its type, in_features,
    out_features, has a bias, is a new module, the head's parameters require grad;
    ((name, requires_grad) of every other parameter); the names of the returned
    parameters; the other parameters' values unchanged; the output shape of a forward
    pass)``."""
    import torch

    model = build_head_model(spec)
    old_head = model.head
    before = {n: p.detach().clone() for n, p in model.named_parameters() if not n.startswith("head.")}
    kw = {} if freeze is None else {"freeze": bool(freeze)}
    with torch.random.fork_rng(devices=[]):
        returned = fn(model, int(num_classes), **kw)
    head = getattr(model, "head", None)
    if isinstance(head, torch.nn.Linear):
        head_info = ("Linear", int(head.in_features), int(head.out_features), head.bias is not None,
                     head is not old_head, all(p.requires_grad for p in head.parameters()))
    else:
        head_info = (f"a {type(head).__name__}" if head is not None else "no attribute head", 0, 0, False,
                     False, False)
    named = list(model.named_parameters())
    flags = tuple((n, bool(p.requires_grad)) for n, p in named if not n.startswith("head."))
    unchanged = all(n in before and torch.equal(p.detach(), before[n]) for n, p in named
                    if not n.startswith("head.")) and len(before) == len(flags)
    with torch.no_grad():
        try:
            shape = tuple(int(s) for s in model(torch.zeros(2, 1, 6, 6)).shape)
        except Exception as e:  # noqa: BLE001 - reported
            shape = f"the forward pass fails: {type(e).__name__}: {str(e)[:100]}"
    return (head_info, flags, _param_names(returned, named), bool(unchanged), shape)


def probe_replace_head(fn, args, kwargs, ns):
    """:func:`run_replace_head` ``(fn, *args)``; ``args = [spec, num_classes, freeze]``."""
    value, warns = captured(run_replace_head, fn, *args)
    return {"value": wire.encode(value), "args_after": _no_args_after(args), "warnings": warns}


# ---------------------------------------------------------------- occlusion_map
class Classifier:
    """A fixed nonlinear classifier of ``(C, H, W)`` images, as a ``predict_proba`` callable:
    ``softmax(tanh(X.reshape(N, -1) @ W1 + b1) @ W2)`` with weights drawn from ``seed``.
    It takes a NumPy array (or a torch tensor) ``(N, C, H, W)``, returns NumPy float64
    probabilities ``(N, K)``, and counts the images it was asked about."""

    def __init__(self, seed, C, H, W, K, hidden=24):
        g = np.random.default_rng(int(seed))
        self.shape = (int(C), int(H), int(W))
        D = int(C) * int(H) * int(W)
        self.W1 = g.normal(size=(D, hidden)) * 1.5 / np.sqrt(D)     # (D, hidden)
        self.b1 = g.normal(size=hidden) * 0.2
        self.W2 = g.normal(size=(hidden, int(K))) * 1.2             # (hidden, K)
        self.images = 0

    def __call__(self, X):
        if hasattr(X, "detach"):
            X = X.detach().cpu().numpy()
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 4 or X.shape[1:] != self.shape:
            raise ValueError(f"predict_proba takes a batch of images (N, {', '.join(map(str, self.shape))}), "
                             f"got shape {X.shape}")
        self.images += len(X)
        Z = np.tanh(X.reshape(len(X), -1) @ self.W1 + self.b1) @ self.W2   # (N, K)
        Z = Z - Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)


def occlusion_problem(spec):
    """``(predict_proba, image (C, H, W) float64)`` from ``spec = (seed, C, H, W, K)``."""
    seed, C, H, W, K = (int(v) for v in spec)
    image = np.random.default_rng(seed + 1).uniform(0.0, 1.0, size=(C, H, W))
    return Classifier(seed, C, H, W, K), image


def probe_occlusion(fn, args, kwargs, ns):
    """``fn(predict_proba, image, label, **kwargs)`` for :func:`occlusion_problem` ``(args[0])``
    and ``label = args[1]``. Reports ``(the returned map (a torch tensor is read as an
    array), whether the image is unchanged)``."""
    predict_proba, image = occlusion_problem(args[0])
    original = image.copy()
    value, warns = captured(fn, predict_proba, image, int(args[1]), **kwargs)
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    unchanged = bool(image.shape == original.shape and np.array_equal(image, original))
    return {"value": wire.encode((value, unchanged)), "args_after": _no_args_after(args), "warnings": warns}


# ---------------------------------------------------------------- the debugging task
class SGD:
    """``torch.optim.SGD(params_or_groups, lr, momentum)`` (no dampening, Nesterov or weight
    decay), written out: the same interface (parameter groups with their own ``lr``, a
    group without one takes the default; ``zero_grad(set_to_none=True)``; ``step()``)
    and the same update, bit for bit. Why not torch's own: building any
    ``torch.optim`` optimizer imports ``torch._dynamo``, about 2 s of CPU in every
    sandbox. ``steps`` counts the calls of ``step()``."""

    def __init__(self, params, lr=1e-3, momentum=0.0):
        import torch

        if isinstance(params, torch.Tensor):
            raise TypeError("params must be an iterable of tensors or of dicts, got a Tensor")
        params = list(params)
        groups = params if params and isinstance(params[0], dict) else [{"params": params}]
        self.defaults = {"lr": float(lr), "momentum": float(momentum)}
        self.param_groups, seen = [], set()
        for g in groups:
            group = {**self.defaults, **{k: v for k, v in g.items() if k != "params"}}
            ps = g["params"]
            group["params"] = [ps] if isinstance(ps, torch.Tensor) else list(ps)
            for p in group["params"]:
                if id(p) in seen:
                    raise ValueError("some parameters appear in more than one parameter group")
                seen.add(id(p))
            self.param_groups.append(group)
        self.state = {}
        self.steps = 0

    def zero_grad(self, set_to_none=True):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        p.grad.detach_()
                        p.grad.zero_()

    def step(self, closure=None):
        import torch

        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        with torch.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    d_p = p.grad
                    if group["momentum"]:
                        buf = self.state.setdefault(p, {}).get("momentum_buffer")
                        if buf is None:
                            buf = self.state[p]["momentum_buffer"] = d_p.detach().clone()
                        else:
                            buf.mul_(group["momentum"]).add_(d_p)
                        d_p = buf
                    p.add_(d_p, alpha=-group["lr"])
        self.steps += 1
        return loss


TAG_CLASSES = 3


def build_finetune_problem(spec):
    """A small "pre-trained" CNN and a labelled problem from ``spec = (seed, n_train,
    batch, n_val, val_batch, size)``: ``model.body`` (conv 3x3 -> batch norm -> ReLU ->
    max-pool 2 -> conv 3x3 -> batch norm -> ReLU -> global average pool -> flatten, 8
    features) with weights and running statistics from the seed, and a fresh
    ``model.head = nn.Linear(8, 3)``; ``n_train`` training batches of ``batch`` images
    ``(1, size, size)`` and ``n_val`` validation batches of ``val_batch``, as lists of
    ``(x, y)``: an image of class ``c`` is the class's pattern (horizontal stripes,
    vertical stripes, a checkerboard) at a random strength, plus noise."""
    import torch
    from torch import nn

    seed, n_train, batch, n_val, val_batch, size = (int(v) for v in spec)
    g = torch.Generator().manual_seed(seed)

    class SmallCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(
                nn.Conv2d(1, 6, 3, padding=1, bias=False), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(6, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
                nn.AdaptiveAvgPool2d(1), nn.Flatten())
            self.head = nn.Linear(8, TAG_CLASSES)

        def forward(self, x):                                # (N, 1, H, W)
            return self.head(self.body(x))                   # (N, 8) -> (N, 3)

    with torch.random.fork_rng(devices=[]):
        model = SmallCNN()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("weight") and p.dim() == 4:
                p.copy_(torch.randn(p.shape, generator=g) * (2.0 / (p.shape[1] * 9)) ** 0.5)
            elif name.startswith("head.weight"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.3)
            elif name.endswith("weight"):
                p.copy_(0.7 + 0.6 * torch.rand(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
        # "pre-trained" on other data: the running statistics of images like these, without the patterns
        model.train()
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.momentum = None                  # a plain average over the passes below
        for _ in range(4):
            model(torch.randn(32, 1, size, size, generator=g) * 0.9 + 0.3)
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.momentum = 0.1                   # PyTorch's default again
                m.num_batches_tracked.fill_(100)
    yy, xx = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    patterns = torch.stack([torch.cos(torch.pi * yy / 2), torch.cos(torch.pi * xx / 2),
                            torch.cos(torch.pi * (xx + yy) / 2)]).float()      # (3, size, size): stripes, checks

    def batches(n, b):
        out = []
        for _ in range(n):
            y = torch.randint(0, TAG_CLASSES, (b,), generator=g)               # (b,)
            strength = 0.2 + torch.rand(b, 1, 1, generator=g)                  # some images are hard
            noise = torch.randn(b, size, size, generator=g)
            x = (strength * patterns[y] + 0.5 * noise).unsqueeze(1) + 0.2      # (b, 1, size, size)
            out.append((x, y))
        return out

    return model.train(), batches(n_train, batch), batches(n_val, val_batch)


def run_finetune(fn, spec, epochs, lr, body_lr):
    """Call ``fn(model, train_batches, val_batches, epochs, lr, body_lr, optimizer_class=SGD)``
    on :func:`build_finetune_problem` ``(spec)``. Reports ``(the returned accuracies as
    floats, the model's state after the call as (name, float64 array) pairs, optimizer
    steps taken)``."""
    import operator

    import torch

    model, train, val = build_finetune_problem(spec)
    made = []

    class CountingSGD(SGD):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            made.append(self)

    with torch.random.fork_rng(devices=[]):
        accuracies = fn(model, train, val, int(epochs), float(lr), float(body_lr), optimizer_class=CountingSGD)
    try:
        accs = tuple(float(a) for a in accuracies)
    except (TypeError, ValueError):
        accs = f"not a list of numbers: a {type(accuracies).__name__}"
    state = tuple((k, v.detach().double().numpy().copy()) for k, v in model.state_dict().items()
                  if not k.endswith("num_batches_tracked"))
    tracked = tuple(operator.index(v.item()) for k, v in model.state_dict().items()
                    if k.endswith("num_batches_tracked"))
    return (accs, state, tracked, sum(o.steps for o in made))


def probe_finetune(fn, args, kwargs, ns):
    """:func:`run_finetune` ``(fn, *args)`` on one thread; ``args = [spec, epochs, lr, body_lr]``."""
    restore = _one_thread()
    try:
        value, warns = captured(run_finetune, fn, *args)
    finally:
        restore()
    return {"value": wire.encode(value), "args_after": _no_args_after(args), "warnings": warns}


PROBES = {
    "residual_block": probe_residual_block,
    "replace_head": probe_replace_head,
    "occlusion": probe_occlusion,
    "finetune": probe_finetune,
}
