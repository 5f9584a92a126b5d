"""Checks of ``ch09_gpu``: what each graded function must do, and how it is tested.

Every answer here is PyTorch code; the grader has no GPU, so the checks make
the GPU-specific parts observable on a CPU (see ``probes.py``):

- ``get_device`` runs on simulated machines: the probe replaces
  ``torch.cuda.is_available`` and ``torch.backends.mps.is_available`` by
  functions returning each of the four combinations (in a random order in the
  hidden check, so a cached answer fails), then restores them.
- ``count_parameters`` counts a small language model with frozen parameters,
  buffers (a causal mask, batch-norm statistics) and a weight tied between the
  embedding and the output head; the oracle deduplicates by tensor identity.
- ``model_flops_per_token`` and ``mfu`` are formulas, checked by plain calls.
- ``amp_train_step`` trains a float32 MLP one step on the CPU under bfloat16
  (or float16) autocast. A forward hook records the autocast state the model
  ran under, an optimizer hook counts the steps, and a spy object stands in
  for ``GradScaler`` (float16 scaling needs CUDA) and records its calls. The
  oracle (written here) runs the same step in the grader; seeds are chosen so
  that the autocast loss differs from the float32 loss by at least 20 times
  the tolerance. The parameters start with stale ``.grad``: the step must zero
  them first.
- The optimizers are ``probes.SGD`` and ``probes.Adam``: torch.optim's
  interface and updates (bit for bit), written out because building a
  torch.optim optimizer imports torch._dynamo, ~2 s of CPU in every sandbox.
- ``accumulated_step`` runs on a float64 MLP (so tolerances are tight) with
  SGD (momentum) or Adam, from stale ``.grad``; the oracle is ONE step on the
  concatenated batch. Hooks report the largest batch a forward pass saw (it
  must be a micro-batch) and the number of optimizer steps (one).
- ``checkpoint`` (the answer cell holding ``save_checkpoint`` and
  ``load_checkpoint``) is checked as a pair for *bitwise* resume: float32 MLPs
  with dropout, Adam or SGD with momentum (the probe optimizers have
  ``torch.optim``'s ``state_dict``/``load_state_dict``); train, save, move the
  file, move torch's global RNG on, build fresh objects, load, train on from the
  returned step; the oracle is the uninterrupted run (``probes.run_uninterrupted``),
  compared bit for bit. The named bugs come from a reference pair with switches.
- ``amp_accumulation_fixed`` is the debugging task: the release hands out the
  function with four planted bugs (``DEBUG_BUGS``). Its oracle is the fixed
  function with a switch per bug; every non-empty subset of bugs is a named
  diagnosis. It runs under float16 autocast on the CPU with the spy scaler, and
  ``max_norm`` above or below the gradient's norm (clipping idle or acting).

Values are judged as values: a count may be a NumPy integer, a loss a NumPy
scalar or 0-d array, a returned step any whole number (a NumPy integer, a 0-d
integer tensor, ``5.0``); ``get_device`` must return a ``torch.device`` (the
type is the point of that function).
"""

import numpy as np
import torch

from nncourse.grading.checks import (TORCH_PRELUDE, Assignment, Case, close, describe, known_bugs, load_probes,
                                     passes, scalar)
from nncourse.grading.wire import Unsupported

TASKS = ("get_device", "count_parameters", "model_flops_per_token", "mfu", "amp_train_step",
         "accumulated_step", "checkpoint", "amp_accumulation_fixed")
# The checkpoint pair is ONE answer cell (grade_id "checkpoint") holding two functions, and the
# grader calls an answer by its grade_id: the prelude of the torch sandbox (like the notebook's
# set-up cell) defines ``checkpoint()``, which returns the pair as the answer cell defined it.
CHECKPOINT_ACCESSOR = (
    "def checkpoint():\n"
    '    """The pair (save_checkpoint, load_checkpoint) of the answer cell \'checkpoint\'."""\n'
    "    return save_checkpoint, load_checkpoint\n")
ASSIGNMENT = Assignment("ch09_gpu", torch_tasks=TASKS, probes="probes.py",
                        torch_prelude=TORCH_PRELUDE + "\n\n" + CHECKPOINT_ACCESSOR)
task = ASSIGNMENT.task
PROBES = load_probes(__file__)


def _probe_value(probe, fn, *args, **kwargs):
    """What ``probe`` reports for ``fn`` (an oracle or a bug), as the grader decodes it."""
    from nncourse.grading import wire

    return wire.decode(PROBES[probe](fn, list(args), kwargs, {})["value"])


def _try(f, *args):
    """``f(*args)``, or None when that bug cannot even run on this input (only for diagnoses)."""
    try:
        return f(*args)
    except Exception:  # noqa: BLE001
        return None


# ---------------------------------------------------------------- get_device
MACHINE_NAMES = {(False, False): "a machine with neither CUDA nor MPS",
                 (False, True): "a machine with MPS but no CUDA",
                 (True, False): "a machine with CUDA but no MPS",
                 (True, True): "a machine with both CUDA and MPS"}


def _preferred(cuda, mps, order=("cuda", "mps")):
    have = {"cuda": cuda, "mps": mps}
    return next((d for d in order if have[d]), "cpu")


def _device_compare(machines):
    def compare(got, expected):
        if not isinstance(got, tuple) or len(got) != len(expected):
            return f"the probe reported {describe(got)}"
        for m, g, e in zip(machines, got, expected):
            if g != e:
                shown = g if str(g).startswith("not a torch.device") else f"torch.device({g!r})"
                return f"on {MACHINE_NAMES[tuple(m)]} it returned {shown}, expected torch.device({e!r})"
        return None
    return compare


@task("get_device")
def get_device_cases(rng, hidden):
    machines = [(False, False), (True, False), (False, True), (True, True)]
    if hidden:
        machines = [machines[i] for i in rng.permutation(4)] + [machines[int(rng.integers(4))]]
    machines = tuple(tuple(m) for m in machines)
    compare = _device_compare(machines)

    def table(pick):
        return tuple(pick(c, m) for c, m in machines)

    expected = table(_preferred)
    bugs = known_bugs(expected, passes(compare), **{
        "MPS is preferred to CUDA (test CUDA first)": table(lambda c, m: _preferred(c, m, ("mps", "cuda"))),
        "MPS is never considered": table(lambda c, m: _preferred(c, False)),
        "it returns cuda unconditionally": table(lambda c, m: "cuda"),
        "it returns a string instead of a torch.device":
            table(lambda c, m: f"not a torch.device: a str ({_preferred(c, m)!r})"),
    })
    label = ("on four simulated machines (CUDA and MPS each available or not)" if not hidden else
             "on simulated machines, called in a random order (the answer must be decided at each call)")
    return [Case("get_device", label, (machines,), expected, compare, bugs=bugs, probe="device_preference")]


# ---------------------------------------------------------------- count_parameters
def _unique_parameters(model):
    """Every parameter once, found module by module and deduplicated by identity."""
    seen = {}
    for m in model.modules():
        for p in m._parameters.values():
            if p is not None:
                seen[id(p)] = p
    return list(seen.values())


def _count(frozen_too=False, buffers=False, shared_twice=False):
    def count(model, trainable_only=True):
        params = ([p for m in model.modules() for p in m._parameters.values() if p is not None]
                  if shared_twice else _unique_parameters(model))
        n = sum(p.numel() for p in params if p.requires_grad or frozen_too or not trainable_only)
        return n + (sum(b.numel() for b in model.buffers()) if buffers else 0)
    return count


def _count_compare(got, expected):
    """An exact Python (or NumPy) int."""
    problem = scalar(rtol=0.0, atol=0.0, kind=int)(got, expected)
    if problem is not None and isinstance(got, Unsupported) and "Tensor" in got.type_name:
        problem += " (return a Python int: int(...) of the tensor, or sum p.numel() directly)"
    return problem


@task("count_parameters")
def count_parameters_cases(rng, hidden):
    compare = _count_compare

    def case(label, spec, weight=1.0, **kwargs):
        spec = tuple(tuple(s) if isinstance(s, list) else s for s in spec)
        value = lambda f: _probe_value("count_parameters", f, spec, **kwargs)  # noqa: E731
        expected = value(_count())
        bugs = known_bugs(expected, passes(compare), **{
            "frozen parameters (requires_grad=False) are counted although trainable_only is True":
                value(_count(frozen_too=True)),
            "buffers (model.buffers(), e.g. batch-norm statistics or a mask) are counted as parameters":
                value(_count(buffers=True)),
            "a parameter shared by two modules is counted twice (model.parameters() yields it once)":
                value(_count(shared_twice=True)),
            "trainable_only=False still leaves out the frozen parameters":
                value(lambda m, trainable_only=True: _count()(m)) if kwargs.get("trainable_only") is False else None,
        })
        return Case("count_parameters", label, (spec,), expected, compare, kwargs=kwargs, bugs=bugs,
                    probe="count_parameters", weight=weight)

    # spec = (vocab, d, hidden, n_blocks, tied, norm, frozen indices)
    if not hidden:
        return [
            case("an embedding, two MLP blocks with LayerNorm and a head; nothing frozen",
                 (50, 16, 32, 2, False, "layer", ())),
            case("the same with the embedding and one bias frozen (default trainable_only=True)",
                 (50, 16, 32, 2, False, "layer", (0, 2))),
            case("the same with the embedding and one bias frozen, trainable_only=False",
                 (50, 16, 32, 2, False, "layer", (0, 2)), trainable_only=False),
            case("the head's weight is the embedding's (weight tying); batch-norm buffers",
                 (40, 8, 24, 1, True, "batch", ())),
        ]
    out = []
    for k in range(3):
        vocab, d, h, nb = (int(rng.integers(10, 80)), int(rng.integers(4, 24)), int(rng.integers(8, 40)),
                           int(rng.integers(1, 4)))
        norm = ("layer", "batch", "")[k]
        tied = k != 2
        n_params = 1 + 4 * nb + (2 * nb if norm else 0) + (0 if tied else 1)
        frozen = tuple(sorted(int(i) for i in rng.choice(n_params, size=int(rng.integers(1, 4)), replace=False)))
        spec = (vocab, d, h, nb, tied, norm, frozen)
        out.append(case(f"random sizes, {'a tied head, ' if tied else ''}some parameters frozen",
                        spec, weight=2.0))
        if k == 0:
            out.append(case("random sizes, some parameters frozen, trainable_only=False", spec,
                            trainable_only=False))
    return out


# ---------------------------------------------------------------- model_flops_per_token
@task("model_flops_per_token")
def flops_cases(rng, hidden):
    compare = scalar(rtol=1e-12, atol=0.0)

    def case(label, n_params, n_layers, d_model, seq_len, weight=1.0):
        N, L, d, T = n_params, n_layers, d_model, seq_len
        expected = 6 * N + 12 * L * d * T
        bugs = known_bugs(expected, passes(compare), **{
            "the parameter term is 2 * n_params (the forward pass only; training adds the backward, twice as"
            " costly: 6 in all)": 2 * N + 12 * L * d * T,
            "the attention term 12 * n_layers * d_model * seq_len is missing": 6 * N,
            "seq_len is squared in the attention term (per token, attention costs grow with seq_len, not"
            " seq_len**2)": 6 * N + 12 * L * d * T * T,
            "the attention term counts the forward pass only (2 * n_layers * d_model * seq_len, or 4x)":
                6 * N + 4 * L * d * T,
        })
        return Case("model_flops_per_token", label, (N, L, d, T), expected, compare, bugs=bugs, weight=weight)

    if not hidden:
        return [case("a tiny model: n_params=1000, 2 layers, d_model=16, seq_len=8", 1000, 2, 16, 8),
                case("GPT-2 small: 124M parameters, 12 layers, d_model=768, seq_len=1024",
                     124_439_808, 12, 768, 1024)]
    L = int(rng.integers(2, 48))
    d = 64 * int(rng.integers(2, 64))
    return [case("random model sizes", 12 * L * d * d + int(rng.integers(10_000, 10**8)), L, d,
                 int(2 ** rng.integers(7, 14)), weight=2.0),
            case("a small model with a long context", int(rng.integers(10**4, 10**6)), int(rng.integers(1, 5)),
                 int(rng.integers(8, 64)), int(rng.integers(2000, 9000)))]


# ---------------------------------------------------------------- mfu
@task("mfu")
def mfu_cases(rng, hidden):
    compare = scalar(rtol=1e-9, atol=0.0)

    def case(label, tps, fpt, peak, weight=1.0):
        expected = tps * fpt / peak
        bugs = known_bugs(expected, passes(compare), **{
            "it is a percentage (times 100): return a fraction of peak": 100 * expected,
            "it is inverted (peak / achieved)": peak / (tps * fpt),
            "it uses floor division //": float(tps * fpt // peak),
            "it ignores flops_per_token (tokens per second are not FLOPs per second)": tps / peak,
        })
        return Case("mfu", label, (tps, fpt, peak), expected, compare, bugs=bugs, weight=weight)

    if not hidden:
        return [case("GPT-2 small (8.6e8 FLOPs per token) on an H100 (989e12 FLOP/s bf16 peak): 400k tokens/s",
                     400_000.0, 8.6e8, 989e12),
                case("integer arguments", 5000, 3 * 10**9, 10**14)]
    peak = float(rng.choice([312e12, 989e12, 1979e12, 82.6e12]))   # A100, H100, B200 (bf16 dense), L4 peaks
    fpt = float(rng.uniform(1e7, 1e10))
    peak_int, fpt_int = int(rng.integers(10**12, 10**14)), int(rng.integers(10**6, 10**9))
    return [case("random throughput and model sizes (MFU between 5% and 70%)",
                 float(rng.uniform(0.05, 0.7)) * peak / fpt, fpt, peak, weight=2.0),
            case("random integer arguments", int(float(rng.uniform(0.05, 0.7)) * peak_int / fpt_int) + 1, fpt_int,
                 peak_int)]


# ---------------------------------------------------------------- amp_train_step
def _amp_step(autocast=True, zero_first=True, loss_outside=False, step=True, return_scaled=False):
    """An AMP training step written for the checks, with switches that reproduce bugs."""

    def amp_step(model, x, y, optimizer, loss_fn, dtype=torch.bfloat16, scaler=None):
        if zero_first:
            optimizer.zero_grad(set_to_none=True)
        device_type = next(model.parameters()).device.type
        with torch.autocast(device_type=device_type, dtype=dtype, enabled=autocast):
            logits = model(x)                                   # (N, C) in dtype
            loss = None if loss_outside else loss_fn(logits, y)  # float32 (autocast's choice)
        if loss_outside:
            loss = loss_fn(logits, y)
        scaled = scaler.scale(loss) if scaler is not None else loss
        scaled.backward()
        if step:
            if scaler is not None:
                scaler.step(optimizer)
                scaler.update()
            else:
                optimizer.step()
        return float((scaled if return_scaled else loss).item())

    return amp_step


def _scaler_calls(calls):
    """The scaler calls with an optional ``unscale_`` right before ``step`` left out."""
    calls = list(calls)
    for i in range(1, len(calls)):
        if calls[i] == "step" and calls[i - 1] == "unscale_":
            del calls[i - 1]
            break
    return tuple(calls)


def _amp_compare(loss_rtol):
    loss_ok = scalar(rtol=loss_rtol, atol=0.0)
    weights_ok = close(rtol=1e-5, atol=1e-7)

    def compare(got, expected):
        if not isinstance(got, tuple) or len(got) != 5:
            return f"the probe reported {describe(got)}"
        loss, weights, state, steps, calls = got
        e_loss, e_weights, e_state, e_steps, e_calls = expected
        if state != e_state:
            if state == "off":
                return ("the model's forward pass did not run under torch.autocast for the model's device "
                        f"type (here 'cpu'; expected autocast {e_state}: take the device type from the "
                        "model's parameters, and run the model and the loss inside the autocast block)")
            if state == "never called":
                return "the model was never called"
            return f"the model's forward pass ran under autocast {state}, expected {e_state} (use the dtype argument)"
        if steps != e_steps:
            return f"the optimizer took {steps} steps, expected {e_steps}"
        if _scaler_calls(calls) != tuple(e_calls):
            if e_calls and not calls:
                return ("the GradScaler was not used: with a scaler, call scaler.scale(loss).backward(), "
                        "scaler.step(optimizer), scaler.update()")
            return (f"the scaler was called as {list(calls)}; expected {list(e_calls)} "
                    "(scale(loss).backward(), then step(optimizer), then update())")
        problem = loss_ok(loss, e_loss)
        if problem is not None:
            if isinstance(loss, Unsupported):
                return f"the returned loss: {problem} (return loss.item(), a Python float)"
            return f"the returned loss: {problem}"
        if not isinstance(weights, tuple) or len(weights) != len(e_weights):
            return f"the probe reported {describe(weights)} for the parameters"
        for k, (w, e) in enumerate(zip(weights, e_weights)):
            problem = weights_ok(w, e)
            if problem is not None:
                return f"the parameters after the step (tensor #{k} of model.parameters()): {problem}"
        return None

    return compare


LOSS_RTOL = {"bfloat16": 2e-5, "float16": 4e-6}


def _amp_spec(rng, n, d_in, hidden, classes, x_scale, lr, dtype, scale=0.0):
    """A problem whose autocast loss differs from its float32 loss by at least 20 tolerances
    (seeds are drawn until one does), so that a forward pass outside autocast fails, and whose
    step stays finite (a float16 gradient scaled too much overflows)."""
    for _ in range(50):
        spec = (int(rng.integers(10**6)), n, d_in, hidden, classes, x_scale, lr)
        low, weights = _probe_value("amp_step", _amp_step(), spec, dtype, scale)[:2]
        full = _probe_value("amp_step", _amp_step(autocast=False), spec, dtype, scale)[0]
        if (abs(low - full) > 20 * LOSS_RTOL[dtype or "bfloat16"] * abs(full)
                and all(np.isfinite(w).all() for w in weights)):
            return spec
    raise RuntimeError("no seed gives a detectable autocast loss")  # pragma: no cover


@task("amp_train_step")
def amp_cases(rng, hidden):
    def case(label, spec, dtype="", scale=0.0, weight=1.0):
        dname = dtype or "bfloat16"
        compare = _amp_compare(LOSS_RTOL[dname])
        value = lambda f: _probe_value("amp_step", f, spec, dtype, scale)  # noqa: E731
        expected = value(_amp_step())
        candidates = {
            "the forward pass runs in float32 (no autocast)": _try(value, _amp_step(autocast=False)),
            "the loss is computed outside the autocast block (from low-precision logits, in low precision)":
                _try(value, _amp_step(loss_outside=True)),
            "the stale gradients are not zeroed before backward() (call optimizer.zero_grad() first)":
                _try(value, _amp_step(zero_first=False)),
            "the optimizer never steps": _try(value, _amp_step(step=False)),
        }
        if scale:
            candidates["the scaled loss is returned (return the loss itself)"] = _try(value, _amp_step(return_scaled=True))
        bugs = known_bugs(expected, passes(compare), **candidates)
        return Case("amp_train_step", label, (spec, dtype, scale), expected, compare, bugs=bugs,
                    probe="amp_step", weight=weight, seconds=60)

    # spec = (seed, n, d_in, hidden, classes, x_scale, lr)
    if not hidden:
        return [case("bfloat16 autocast (the default dtype), no scaler: an MLP (6, 24) -> 48 -> 5, SGD",
                     _amp_spec(rng, 6, 24, 48, 5, 8.0, 0.1, "")),
                case("dtype=torch.bfloat16 given: (4, 16) -> 32 -> 4",
                     _amp_spec(rng, 4, 16, 32, 4, 8.0, 0.05, "bfloat16"), dtype="bfloat16"),
                case("dtype=torch.float16 with a GradScaler (a spy that records its calls, scale 1024)",
                     _amp_spec(rng, 6, 24, 48, 5, 8.0, 0.1, "float16", 1024.0), dtype="float16", scale=1024.0)]
    sizes = lambda: (int(rng.integers(4, 10)), int(rng.integers(8, 33)), int(rng.integers(16, 65)),  # noqa: E731
                     int(rng.integers(3, 9)), float(rng.uniform(5, 10)), float(rng.uniform(0.02, 0.2)))
    scale = float(2 ** rng.integers(4, 11))
    return [case("bfloat16 (default dtype), random sizes", _amp_spec(rng, *sizes(), ""), weight=2.0),
            case("float16 with a (spy) GradScaler, random sizes and scale",
                 _amp_spec(rng, *sizes(), "float16", scale), dtype="float16", scale=scale, weight=2.0),
            case("dtype=torch.bfloat16 given, random sizes", _amp_spec(rng, *sizes(), "bfloat16"),
                 dtype="bfloat16")]


# ---------------------------------------------------------------- accumulated_step
def _full_batch_step(model, micro_batches, optimizer, loss_fn):
    """The oracle: ONE step on the concatenated batch."""
    x = torch.cat([xb for xb, _ in micro_batches])   # (k*m, D)
    y = torch.cat([yb for _, yb in micro_batches])
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()
    optimizer.step()


def _accumulate(divide=True, zero_before=True, zero_inside=False):
    """Accumulation with switches that reproduce bugs (for diagnoses only)."""

    def accumulate(model, micro_batches, optimizer, loss_fn):
        if zero_before:
            optimizer.zero_grad()
        for xb, yb in micro_batches:
            if zero_inside:
                optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            (loss / len(micro_batches) if divide else loss).backward()
        optimizer.step()

    return accumulate


def _accumulation_compare(got, expected):
    if not isinstance(got, tuple) or len(got) != 3:
        return f"the probe reported {describe(got)}"
    weights, rows, steps = got
    e_weights, micro, _ = expected
    if steps != 1:
        return (f"the optimizer took {steps} steps; accumulate the gradients of every micro-batch, "
                "then call optimizer.step() once")
    if rows > micro:
        return (f"a forward pass saw {rows} rows but the micro-batches have {micro}: run the model on each "
                "micro-batch in turn (concatenating them is not accumulating; it needs the memory of the full batch)")
    for k, (w, e) in enumerate(zip(weights, e_weights)):
        problem = close(rtol=1e-9, atol=1e-12)(w, e)
        if problem is not None:
            return f"the parameters after the step (tensor #{k} of model.parameters()): {problem}"
    return None


@task("accumulated_step")
def accumulation_cases(rng, hidden):
    def case(label, spec, weight=1.0):
        micro = spec[3]
        value = lambda f: (_probe_value("accumulated_step", f, spec)[0], micro, 1)  # noqa: E731
        expected = value(_full_batch_step)
        bugs = known_bugs(expected, passes(_accumulation_compare), **{
            "the micro-batch losses are not divided by the number of micro-batches (the gradient is k times"
            " the full-batch one)": _try(value, _accumulate(divide=False)),
            "the stale gradients are not zeroed before the first micro-batch": _try(value, _accumulate(zero_before=False)),
            "the gradients are zeroed before every micro-batch (only the last one counts)":
                _try(value, _accumulate(zero_inside=True)),
        })
        return Case("accumulated_step", label, (spec,), expected, _accumulation_compare, bugs=bugs,
                    probe="accumulated_step", weight=weight, seconds=60)

    # spec = (seed, sizes, k micro-batches, micro-batch size, optimizer, lr, loss)
    if not hidden:
        return [case("SGD with momentum, cross-entropy: 4 micro-batches of 3 rows, an MLP 5 -> 8 -> 3",
                     (11, (5, 8, 3), 4, 3, "sgd", 0.1, "ce")),
                case("Adam, mean squared error: 3 micro-batches of 4 rows, an MLP 6 -> 10 -> 10 -> 2",
                     (12, (6, 10, 10, 2), 3, 4, "adam", 0.01, "mse"))]
    out = []
    for k, (opt, loss) in enumerate((("sgd", "ce"), ("sgd", "mse"), ("adam", "ce"))):
        sizes = tuple(int(rng.integers(2, 12)) for _ in range(int(rng.integers(3, 5))))
        spec = (int(rng.integers(10**6)), sizes, int(rng.integers(2, 6)), int(rng.integers(1, 6)), opt,
                float(rng.uniform(0.01, 0.3)) / (10 if opt == "adam" else 1), loss)
        out.append(case(f"{'SGD with momentum' if opt == 'sgd' else 'Adam'}, "
                        f"{'cross-entropy' if loss == 'ce' else 'mean squared error'}, random sizes", spec,
                        weight=2.0 if k < 2 else 1.0))
    sizes = (int(rng.integers(2, 10)), int(rng.integers(2, 10)), int(rng.integers(2, 6)))
    out.append(case("SGD with momentum, cross-entropy: a single micro-batch (k = 1)",
                    (int(rng.integers(10**6)), sizes, 1, int(rng.integers(2, 8)), "sgd",
                     float(rng.uniform(0.01, 0.3)), "ce")))
    out.append(case("SGD with momentum, mean squared error: 8 micro-batches of a single row",
                    (int(rng.integers(10**6)), sizes, 8, 1, "sgd", float(rng.uniform(0.01, 0.3)), "mse")))
    return out


# ---------------------------------------------------------------- checkpoint (the pair)
def _save_load(rng_state=True, optimizer_state=True, model_state=True, step_shift=0, reseed=False):
    """A checkpoint pair written for the checks, with switches that reproduce bugs (for diagnoses)."""
    import os

    def save_checkpoint(path, model, optimizer, step):
        state = {"step": int(step), "model": model.state_dict() if model_state else None,
                 "optimizer": optimizer.state_dict() if optimizer_state else None,
                 "rng": torch.get_rng_state() if rng_state else None}
        torch.save(state, os.fspath(path))

    def load_checkpoint(path, model, optimizer):
        state = torch.load(os.fspath(path), weights_only=True)
        if state["model"] is not None:
            model.load_state_dict(state["model"])
        if state["optimizer"] is not None:
            optimizer.load_state_dict(state["optimizer"])
        if state["rng"] is not None:
            torch.set_rng_state(state["rng"])
        elif reseed:
            torch.manual_seed(state["step"])
        return state["step"] + step_shift

    return lambda: (save_checkpoint, load_checkpoint)


def _checkpoint_compare(got, expected):
    if not isinstance(got, tuple) or len(got) != 3:
        return f"the probe reported {describe(got)}"
    weights, steps, wrote = got
    e_weights, e_steps, _ = expected
    for k, (w, s) in enumerate(zip(wrote, e_steps)):
        if not w:
            return (f"save_checkpoint(path, model, optimizer, {s}) wrote no file at path (the checkpoint must be "
                    "a file: the checks move it to another name before loading it, as a new process would find it)")
    if tuple(steps) != tuple(e_steps):
        for got_s, want in zip(steps, e_steps):
            if got_s != want:
                return (f"load_checkpoint returned {got_s!r} for a checkpoint saved at step {want}: return the "
                        "saved step (an int), the step the resumed run continues from")
        return f"load_checkpoint returned {list(steps)}, expected {list(e_steps)}"
    if not isinstance(weights, tuple) or len(weights) != len(e_weights):
        return f"the probe reported {describe(weights)} for the parameters"
    for k, (w, e) in enumerate(zip(weights, e_weights)):
        if not isinstance(w, np.ndarray) or w.shape != e.shape:
            return f"the parameters (tensor #{k}) are {describe(w)}, expected shape {e.shape}"
        if not np.array_equal(w, e):
            diff = float(np.abs(w - e).max())
            return (f"after resuming, the parameters are not bitwise equal to the uninterrupted run's "
                    f"(tensor #{k} of model.parameters(): max |difference| {diff:.3g})")
    return None


@task("checkpoint")
def checkpoint_cases(rng, hidden):
    def case(label, spec, weight=1.0):
        spec = (int(spec[0]), tuple(int(s) for s in spec[1]), float(spec[2]), spec[3], float(spec[4]),
                tuple(int(s) for s in spec[5]), int(spec[6]), int(spec[7]))
        value = lambda f: _probe_value("checkpoint", f, spec)  # noqa: E731
        expected = _probe_value("uninterrupted", None, spec)
        bugs = known_bugs(expected, passes(_checkpoint_compare), **{
            "torch's global RNG state is not saved and restored (torch.get_rng_state / torch.set_rng_state):"
            " the resumed run draws other dropout masks": _try(value, _save_load(rng_state=False)),
            "the RNG is re-seeded from the step instead of restored from the saved state":
                _try(value, _save_load(rng_state=False, reseed=True)),
            "the optimizer's state is not saved and restored (optimizer.state_dict() / load_state_dict):"
            " momentum or Adam's moments and step count start again from zero":
                _try(value, _save_load(optimizer_state=False)),
            "the model's weights are not restored (model.load_state_dict)": _try(value, _save_load(model_state=False)),
            "load_checkpoint returns the step plus one": _try(value, _save_load(step_shift=1)),
        })
        return Case("checkpoint", label, (spec,), expected, _checkpoint_compare, bugs=bugs,
                    probe="checkpoint", weight=weight, seconds=60)

    # spec = (seed, sizes, dropout p, optimizer, lr, stops (save, then resume, at each), total steps, batch)
    if not hidden:
        return [case("Adam, dropout 0.3, an MLP 6 -> 16 -> 4: 3 steps, save, resume into a fresh model, 4 more",
                     (31, (6, 16, 4), 0.3, "adam", 0.01, (3,), 7, 5)),
                case("SGD with momentum, dropout 0.25, an MLP 5 -> 12 -> 12 -> 3: 2 steps, save, resume, 3 more",
                     (32, (5, 12, 12, 3), 0.25, "sgd", 0.1, (2,), 5, 4)),
                case("Adam, dropout 0.2: save and resume twice (steps 2 and 5), 8 steps in all",
                     (33, (4, 10, 3), 0.2, "adam", 0.02, (2, 5), 8, 6))]
    out = []
    for k, opt in enumerate(("adam", "sgd", "sgd" if rng.random() < 0.5 else "adam")):
        sizes = tuple(int(rng.integers(2, 14)) for _ in range(int(rng.integers(3, 5))))
        total = int(rng.integers(4, 10))
        stops = ((int(rng.integers(1, total)),) if k < 2 else
                 tuple(sorted(int(s) for s in rng.choice(np.arange(1, total), size=2, replace=False))))
        lr = float(rng.uniform(0.005, 0.03)) if opt == "adam" else float(rng.uniform(0.05, 0.2))
        spec = (int(rng.integers(10**6)), sizes, float(rng.uniform(0.15, 0.4)), opt, lr, stops, total,
                int(rng.integers(3, 9)))
        out.append(case(f"{'Adam' if opt == 'adam' else 'SGD with momentum'}, dropout, random sizes, "
                        f"{'one save' if k < 2 else 'two saves'}", spec, weight=1.0))
    return out


# ---------------------------------------------------------------- the debugging task
DEBUG_BUGS = {  # switch -> what the planted bug does (numbered as they appear in the provided code)
    "zero_inside": "bug 1 (the gradients are zeroed inside the loop over micro-batches: only the last one counts)",
    "cuda": "bug 2 (autocast is asked for device type 'cuda' whatever the model's device: on a CPU it does "
            "nothing, the forward pass runs in float32)",
    "undivided": "bug 3 (each micro-batch loss is not divided by the number of micro-batches before backward: "
                 "the gradient is k times the full batch's)",
    "clip_scaled": "bug 4 (the gradients are clipped while still multiplied by the scale: scaler.unscale_("
                   "optimizer) must come before clipping)",
}


def _scaled_accumulation(zero_inside=False, cuda=False, undivided=False, clip_scaled=False):
    """The debugging task's function, fixed, with switches that put each planted bug back."""
    import warnings

    def amp_accumulation_fixed(model, micro_batches, optimizer, loss_fn, scaler, max_norm=1.0,
                               dtype=torch.float16):
        k = len(micro_batches)
        device_type = "cuda" if cuda else next(model.parameters()).device.type
        optimizer.zero_grad(set_to_none=True)
        total = 0.0
        for x, y in micro_batches:
            if zero_inside:
                optimizer.zero_grad(set_to_none=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")          # "CUDA is not available, disabling autocast"
                with torch.autocast(device_type=device_type, dtype=dtype):
                    loss = loss_fn(model(x), y)
            if undivided:
                scaler.scale(loss).backward()
                total += loss.item() / k
            else:
                loss = loss / k
                scaler.scale(loss).backward()
                total += loss.item()
        if not clip_scaled:
            scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        scaler.step(optimizer)
        scaler.update()
        return total

    return amp_accumulation_fixed


def _debug_compare(got, expected):
    if not isinstance(got, tuple) or len(got) != 5:
        return f"the probe reported {describe(got)}"
    loss, weights, states, steps, calls = got
    e_loss, e_weights, e_states, _, _ = expected
    if tuple(states) != tuple(e_states):
        return (f"the model's forward passes ran under autocast {' and '.join(states) or 'never'}, expected "
                f"{' and '.join(e_states)} (autocast on the model's own device type, with dtype)")
    if steps != 1:
        return f"the optimizer took {steps} steps, expected one (through scaler.step(optimizer))"
    calls = list(calls)
    if calls.count("step") != 1 or calls.count("update") != 1 or calls.index("update") < calls.index("step"):
        return (f"the scaler was called as {calls[:12]}: step(optimizer) once, then update() once, are "
                "needed after the micro-batches")
    problem = scalar(rtol=1e-5, atol=0.0)(loss, e_loss)
    if problem is not None:
        return f"the returned value (the mean of the micro-batch losses): {problem}"
    for k, (w, e) in enumerate(zip(weights, e_weights)):
        # loose enough for another clipping formula (torch adds 1e-6 to the norm), far below the bugs' effects
        problem = close(rtol=1e-4, atol=1e-5)(w, e)
        if problem is not None:
            return f"the parameters after the step (tensor #{k} of model.parameters()): {problem}"
    return None


def _subsets(names):
    """Every non-empty subset of ``names``, the small ones first."""
    from itertools import combinations

    return [c for r in range(1, len(names) + 1) for c in combinations(names, r)]


@task("amp_accumulation_fixed")
def debug_cases(rng, hidden):
    def case(label, spec, weight=1.0):
        value = lambda f: _probe_value("scaled_accumulation", f, spec)  # noqa: E731
        expected = value(_scaled_accumulation())
        # every non-empty subset of the planted bugs, the small ones first; a subset whose value a
        # smaller one already gives (one bug can hide another: clipping the scaled gradient hides
        # the missing division) is named with the smaller one, its extra bugs as "may be there too"
        found = []                                      # [subset, value, masked bugs]
        for subset in _subsets(tuple(DEBUG_BUGS)):
            v = _try(value, _scaled_accumulation(**{s: True for s in subset}))
            if v is None:
                continue
            same = next((f for f in found if set(f[0]) <= set(subset) and _debug_compare(v, f[1]) is None), None)
            if same is not None:
                same[2] |= set(subset) - set(same[0])
            else:
                found.append([subset, v, set()])
        candidates = {}
        for subset, v, masked in found:
            names = [DEBUG_BUGS[s] for s in subset]
            what = (f"{names[0]} is still there" if len(names) == 1 else
                    f"{', '.join(n.split(' (')[0] for n in names)} are still there: " + "; ".join(names))
            if masked:
                hidden_ones = [DEBUG_BUGS[s].split(' (')[0] for s in DEBUG_BUGS if s in masked]
                what += (f" ({' and '.join(hidden_ones)} may be there too: "
                         f"{'its' if len(hidden_ones) == 1 else 'their'} effect does not show while these are)")
            candidates[what] = v
        bugs = known_bugs(expected, passes(_debug_compare), **candidates)
        return Case("amp_accumulation_fixed", label, (spec,), expected, _debug_compare, bugs=bugs,
                    probe="scaled_accumulation", weight=weight, seconds=60)

    # spec = (seed, n, d_in, hidden, classes, k, x_scale, lr, optimizer, scale, clip_ratio)
    if not hidden:
        return [case("float16 with a (spy) GradScaler of scale 1024, 4 micro-batches of 3 rows, SGD with momentum; "
                     "max_norm above the gradient's norm (clipping does not act)",
                     (41, 3, 12, 24, 4, 4, 3.0, 0.1, "sgd", 1024.0, 3.0)),
                case("the same kind of problem, 3 micro-batches of 5 rows; max_norm below the gradient's norm "
                     "(clipping acts)", (42, 5, 10, 20, 3, 3, 3.0, 0.1, "sgd", 1024.0, 0.3))]
    out = []
    for ratio in (float(rng.uniform(2.0, 4.0)), float(rng.uniform(0.1, 0.5)), float(rng.uniform(1.5, 3.0))):
        spec = (int(rng.integers(10**6)), int(rng.integers(2, 7)), int(rng.integers(6, 20)),
                int(rng.integers(10, 40)), int(rng.integers(3, 7)), int(rng.integers(2, 6)),
                float(rng.uniform(2.0, 4.0)), float(rng.uniform(0.05, 0.2)), "sgd",
                float(2 ** rng.integers(6, 12)), ratio)
        out.append(case(f"float16, a spy GradScaler, random sizes; clipping {'acts' if ratio < 1 else 'does not act'}",
                        spec))
    return out
