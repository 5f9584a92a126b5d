"""Probes of ``ch05_training``: how ``train_one_epoch`` and ``evaluate`` are called.

A torch model, loader or optimizer cannot cross the sandbox boundary, so the
grader sends a *description* of a run, as plain numbers and arrays (the
keyword arguments of a case), and the probe builds everything from it:

- ``seed``: ``torch.manual_seed`` before the model is built (weights, and the
  dropout masks drawn during the run);
- ``sizes``: layer widths ``[D, H1, ..., C]`` of an MLP ``nn.Sequential``:
  ``Linear``, then after every hidden ``Linear`` an optional ``BatchNorm1d``
  (``batchnorm``), ``ReLU`` and an optional ``Dropout(dropout)``;
- ``X (N, D)``, ``y (N,)``, ``batch_size``: a ``DataLoader`` over a
  ``TensorDataset`` (float32 inputs, int64 labels), ``shuffle=False`` so that
  the run is deterministic; ``N`` is not a multiple of ``batch_size``, so the
  last batch is smaller. Every loader has a generator of its own: otherwise
  each loop over a ``DataLoader`` draws a seed from torch's global generator,
  which also draws the dropout masks, and an answer that loops over a loader
  once more (to count its samples, say) would train with other masks;
- ``start_eval``: whether the model is put in eval mode before the call;
- ``optimizer`` (``"sgd"`` or ``"adam"``), ``lr``, ``momentum``: the optimizer
  of ``train_one_epoch``, whose loss is ``nn.CrossEntropyLoss()``;
- ``use_pred`` (``evaluate`` only): where it is 1, the label is replaced by the
  model's own eval-mode prediction, so that the accuracy is neither near chance
  nor 1 and a forward pass in the wrong mode changes it.

Each probe returns what the function returned (as it is: a tensor is reported
as one, not converted), ``model.training`` afterwards, and every entry of the
model's ``state_dict`` (parameters, and batch norm's running statistics) as a
float64 array; ``evaluate``'s probe also says whether any forward pass ran
with gradients enabled (a forward hook records ``torch.is_grad_enabled()``).

The debugging task ``train_with_early_stopping`` gets three loaders: the
description adds ``Xv, yv`` (validation) and ``Xt, yt`` (test) with their
``val_batch_size`` (the last validation batch is smaller, too), and
``epochs``, ``patience``. Its probe reports what the function returned and the
model's state afterwards (the restored best weights).

The same probe runs the student's function in the sandbox (and in the
notebook) and the reference in the grader (``checks.py``). It runs torch on
one thread, so both runs do the same float32 operations in the same order.
"""

import threading


def build(d):
    """``(model, loader)`` from a description ``d`` (the case's keyword arguments)."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(int(d["seed"]))
    sizes = [int(s) for s in d["sizes"]]
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(sizes) - 2:                       # hidden layers only
            if d.get("batchnorm"):
                layers.append(nn.BatchNorm1d(fan_out))
            layers.append(nn.ReLU())
            if d.get("dropout"):
                layers.append(nn.Dropout(float(d["dropout"])))
    model = nn.Sequential(*layers)
    X = torch.from_numpy(np.asarray(d["X"], dtype=np.float32))      # (N, D)
    y = torch.from_numpy(np.asarray(d["y"], dtype=np.int64))        # (N,)
    if "use_pred" in d:
        model.eval()
        with torch.no_grad():
            pred = model(X).argmax(dim=1)
        y = torch.where(torch.from_numpy(np.asarray(d["use_pred"], dtype=bool)), pred, y)
    model.train(not d.get("start_eval"))
    loader = DataLoader(TensorDataset(X, y), batch_size=int(d["batch_size"]), shuffle=False,
                        generator=torch.Generator())
    return model, loader


def state(model):
    """Every entry of the model's state_dict, as float64 arrays, in order."""
    return [t.detach().double().numpy().copy() for t in model.state_dict().values()]


# The grader computes expected values in parallel threads of one process, where torch's
# random generator (weights, dropout masks) and thread count are shared: one run at a time.
_LOCK = threading.Lock()


def _alone(run):
    """``run()`` on one torch thread, with no other probe running in this process."""
    import torch

    with _LOCK:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return run()
        finally:
            torch.set_num_threads(threads)


def probe_train_one_epoch(fn, args, kwargs, ns):
    """``fn(model, loader, optimizer, loss_fn)`` on the described run:
    reports ``(value, model.training, state)``."""
    import torch

    def run():
        model, loader = build(kwargs)
        value, warns = captured(fn, model, loader, _optimizer(model, kwargs), torch.nn.CrossEntropyLoss())
        return (value, bool(model.training), state(model)), warns

    value, warns = _alone(run)
    return {"value": wire.encode(value), "args_after": [None for _ in args], "warnings": warns}


def probe_evaluate(fn, args, kwargs, ns):
    """``fn(model, loader)`` on the described model and data: reports
    ``(value, model.training, any forward pass with gradients enabled, state)``."""
    import torch

    def run():
        model, loader = build(kwargs)
        grad_on = []
        hook = model.register_forward_hook(lambda m, inp, out: grad_on.append(torch.is_grad_enabled()))
        try:
            value, warns = captured(fn, model, loader)
        finally:
            hook.remove()
        return (value, bool(model.training), any(grad_on), state(model)), warns

    value, warns = _alone(run)
    return {"value": wire.encode(value), "args_after": [None for _ in args], "warnings": warns}


def _optimizer(model, d):
    import torch

    if d["optimizer"] == "adam":
        return torch.optim.Adam(model.parameters(), lr=float(d["lr"]))
    return torch.optim.SGD(model.parameters(), lr=float(d["lr"]), momentum=float(d.get("momentum", 0.0)))


def probe_train_with_early_stopping(fn, args, kwargs, ns):
    """``fn(model, train_loader, val_loader, test_loader, optimizer, loss_fn, epochs, patience)``
    on the described run: reports ``(value, state)``."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    def loader(X, y, batch):
        X = torch.from_numpy(np.asarray(X, dtype=np.float32))            # (N, D)
        y = torch.from_numpy(np.asarray(y, dtype=np.int64))              # (N,)
        return DataLoader(TensorDataset(X, y), batch_size=int(batch), shuffle=False,
                          generator=torch.Generator())

    def run():
        model, train_loader = build(kwargs)
        val_loader = loader(kwargs["Xv"], kwargs["yv"], kwargs["val_batch_size"])
        test_loader = loader(kwargs["Xt"], kwargs["yt"], kwargs["val_batch_size"])
        value, warns = captured(fn, model, train_loader, val_loader, test_loader, _optimizer(model, kwargs),
                                torch.nn.CrossEntropyLoss(), int(kwargs["epochs"]), int(kwargs["patience"]))
        return (value, state(model)), warns

    value, warns = _alone(run)
    return {"value": wire.encode(value), "args_after": [None for _ in args], "warnings": warns}


PROBES = {"train_one_epoch": probe_train_one_epoch, "evaluate": probe_evaluate,
          "train_with_early_stopping": probe_train_with_early_stopping}
