"""nncourse.gpu and nncourse.checkpoint: the measurements and training steps of chapter 9.

Everything runs on the CPU (CI has no GPU): autocast in bfloat16 and float16,
the GradScaler and the device-synchronising timers all have CPU code paths.
PyTorch is the oracle: a step of ours is compared with the same step written
out with torch's own calls.
"""

import copy
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from nncourse import gpu
from nncourse.checkpoint import load_checkpoint, save_checkpoint, unwrap
from nncourse.gpt import GPT, gpt_num_parameters
from nncourse.gpu import (accumulated_step, amp_train_step, count_parameters, get_device,
                          model_flops_per_token, mfu, next_token_loss, peak_flops, tensor_bytes,
                          time_calls, train_throughput)
from nncourse.text import random_windows


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


def _gpt(seed=0, **kw):
    torch.manual_seed(seed)
    args = dict(vocab_size=13, block_size=16, n_layer=2, n_head=4, d_model=32)
    args.update(kw)
    return GPT(**args)


def _batch(seed, B=8, T=16, V=13):
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(0, V, (B, T), generator=g)
    return x, torch.randint(0, V, (B, T), generator=g)


def _torch_step(model, opt, x, y, dtype=None, scaler=None) -> float:
    """The oracle: one training step written out with torch's own calls."""
    opt.zero_grad()
    with torch.autocast("cpu", dtype=dtype, enabled=dtype is not None):
        loss = next_token_loss(model(x), y)
    if scaler is None:
        loss.backward()
        opt.step()
    else:
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
    return loss.item()


def _max_diff(a: nn.Module, b: nn.Module) -> float:
    return max((p - q).abs().max().item() for p, q in zip(a.parameters(), b.parameters()))


# ---------------------------------------------------------------- devices
def test_get_device_prefers_cuda_then_mps_then_cpu(monkeypatch):
    assert get_device() == torch.device("cuda" if torch.cuda.is_available() else
                                        "mps" if torch.backends.mps.is_available() else "cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert get_device() == torch.device("cpu") and isinstance(get_device(), torch.device)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert get_device() == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert get_device() == torch.device("cuda")


def test_synchronize_and_time_calls_on_cpu():
    gpu.synchronize("cpu")                     # a no-op, but must not fail
    calls = []
    times = time_calls(lambda: calls.append(1), steps=5, warmup=2, device="cpu")
    assert len(calls) == 7 and len(times) == 5
    assert all(t >= 0 for t in times)
    assert gpu.copy_seconds(1 << 16, "cpu") >= 0
    assert gpu.matmul_flops(64, steps=3) > 0


# ---------------------------------------------------------------- counting
def test_count_parameters_against_formula_frozen_and_tied():
    model = _gpt()
    n = gpt_num_parameters(13, 16, 2, 32)
    assert count_parameters(model) == n == sum(p.numel() for p in model.parameters())
    model.tok_emb.weight.requires_grad_(False)
    assert count_parameters(model) == n - 13 * 32
    assert count_parameters(model, trainable_only=False) == n
    assert count_parameters(model, False) == n
    tied = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4))
    tied[1].weight = tied[0].weight           # a shared parameter counts once
    assert count_parameters(tied) == 16 + 4 + 4


def test_model_flops_per_token_formula_and_flop_counter():
    assert model_flops_per_token(1000, 2, 8, 16) == 6 * 1000 + 12 * 2 * 8 * 16
    assert isinstance(model_flops_per_token(10, 1, 2, 3), int)
    # PyTorch's FLOP counter on a forward and backward pass: the matrix products
    # cost exactly 6 FLOPs per weight-matrix entry and token, attention 12 L d T
    # (counted without the causal mask's savings). Explicit attention weights,
    # so that the counter sees the attention's matrix products.
    V, T, L, d, B = 13, 16, 2, 32, 4
    model = _gpt(vocab_size=V, block_size=T, n_layer=L, d_model=d)
    for block in model.blocks:
        block.attn.keep_weights = True
    x, y = _batch(1, B, T, V)
    with FlopCounterMode(display=False) as counter:
        _, loss = model(x, y)
        loss.backward()
    matrices = sum(p.numel() for name, p in model.named_parameters()
                   if p.ndim == 2 and "emb" not in name)
    assert counter.get_total_flops() == B * T * model_flops_per_token(matrices, L, d, T)


def test_mfu_and_peak_table():
    assert mfu(1000.0, 2e9, 1e13) == pytest.approx(0.2)
    assert mfu(0.0, 1e9, 1e12) == 0.0
    with pytest.raises(ValueError):
        mfu(1.0, 1.0, 0.0)
    assert peak_flops("NVIDIA H100 80GB HBM3") == 989e12
    assert peak_flops("NVIDIA H100 PCIe") == 756e12
    assert peak_flops("NVIDIA H200") == 989e12
    assert peak_flops("NVIDIA A100-SXM4-40GB") == 312e12
    assert peak_flops("NVIDIA L4") == 121e12
    assert peak_flops("NVIDIA L40S") is None and peak_flops("cpu") is None


# ---------------------------------------------------------------- training steps
def test_next_token_loss():
    logits = torch.randn(2, 5, 7)
    y = torch.randint(0, 7, (2, 5))
    ref = F.cross_entropy(logits.reshape(10, 7), y.reshape(10))
    assert torch.equal(next_token_loss(logits, y), ref)
    assert torch.equal(next_token_loss((logits, None), y), ref)


def test_amp_train_step_bf16_on_cpu_matches_torch_autocast():
    x, y = _batch(2)
    model = _gpt()
    ref = copy.deepcopy(model)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    ref_opt = torch.optim.AdamW(ref.parameters(), lr=1e-2)
    seen = []
    hook = model.blocks[0].mlp.fc.register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    for _ in range(3):
        loss = amp_train_step(model, x, y, opt, next_token_loss)
        ref_loss = _torch_step(ref, ref_opt, x, y, dtype=torch.bfloat16)
        assert isinstance(loss, float) and loss == ref_loss
    hook.remove()
    assert seen == [torch.bfloat16] * 3        # the matrix products ran in bf16 ...
    assert all(p.dtype == torch.float32 for p in model.parameters())   # ... the weights did not
    assert all(p.grad.dtype == torch.float32 for p in model.parameters())
    assert _max_diff(model, ref) == 0.0
    # bf16 keeps about 3 significant digits: the loss is close to the float32 loss
    with torch.no_grad():
        fp32 = next_token_loss(model(x), y).item()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            bf16 = next_token_loss(model(x), y).item()
    assert bf16 == pytest.approx(fp32, rel=2e-2) and bf16 != fp32


def test_amp_train_step_without_autocast_is_a_plain_step():
    x, y = _batch(3)
    model = _gpt()
    ref = copy.deepcopy(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    ref_opt = torch.optim.SGD(ref.parameters(), lr=0.1)
    loss = amp_train_step(model, x, y, opt, next_token_loss, dtype=None)
    assert loss == _torch_step(ref, ref_opt, x, y) and _max_diff(model, ref) == 0.0


def test_amp_train_step_fp16_with_grad_scaler():
    x, y = _batch(4)
    model = _gpt()
    ref = copy.deepcopy(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    ref_opt = torch.optim.SGD(ref.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** 10)
    ref_scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** 10)
    for _ in range(2):
        loss = amp_train_step(model, x, y, opt, next_token_loss, dtype=torch.float16, scaler=scaler)
        assert loss == _torch_step(ref, ref_opt, x, y, torch.float16, ref_scaler)
    assert _max_diff(model, ref) == 0.0
    # the scaler is really used: an infinite gradient skips the step and halves the scale
    before = copy.deepcopy(model)
    scale = scaler.get_scale()
    amp_train_step(model, x, y, opt, lambda out, t: next_token_loss(out, t) * math.inf,
                   dtype=torch.float16, scaler=scaler)
    assert _max_diff(model, before) == 0.0 and scaler.get_scale() == scale / 2


SGD = lambda params: torch.optim.SGD(params, lr=0.5)          # noqa: E731
ADAMW = lambda params: torch.optim.AdamW(params, lr=1e-2)     # noqa: E731


# Adam divides by the root of the squared gradients: a parameter whose gradient is
# near 0 moves by about lr whatever the gradient's rounding error, so Adam is
# compared in float64, where the rounding errors are 1e-16, not 1e-7.
@pytest.mark.parametrize("make_opt, dtype, tol", [(SGD, torch.float32, 1e-5),
                                                  (SGD, torch.float64, 1e-12),
                                                  (ADAMW, torch.float64, 1e-10)],
                         ids=["sgd-float32", "sgd-float64", "adamw-float64"])
def test_accumulated_step_equals_full_batch_step(make_opt, dtype, tol):
    x, y = _batch(5, B=12)
    model = _gpt().to(dtype)
    full = copy.deepcopy(model)
    opt, full_opt = make_opt(model.parameters()), make_opt(full.parameters())
    for _ in range(3):
        micro = list(zip(x.split(4), y.split(4)))            # 3 micro-batches of 4
        loss = accumulated_step(model, iter(micro), opt, next_token_loss)
        full_loss = _torch_step(full, full_opt, x, y)
        grads = [p.grad.clone() for p in full.parameters()]
        assert loss == pytest.approx(full_loss, abs=tol)
        assert max((p.grad - g).abs().max().item()
                   for p, g in zip(model.parameters(), grads)) < tol
    assert _max_diff(model, full) < tol
    # micro-batches of one window each: still the same step
    model2 = copy.deepcopy(full)
    opt2 = make_opt(model2.parameters())
    opt2.load_state_dict(copy.deepcopy(full_opt.state_dict()))   # else they share moments
    accumulated_step(model2, zip(x.split(1), y.split(1)), opt2, next_token_loss)
    _torch_step(full, full_opt, x, y)
    assert _max_diff(model2, full) < tol
    with pytest.raises(ValueError):
        accumulated_step(model, [], opt, next_token_loss)


def test_accumulated_step_is_not_a_sum_of_full_steps():
    """Micro-batches of unequal size weigh each micro-batch, not each sample, equally."""
    x, y = _batch(7, B=6)
    model = _gpt().double()
    full = copy.deepcopy(model)
    accumulated_step(model, [(x[:1], y[:1]), (x[1:], y[1:])], torch.optim.SGD(model.parameters(), lr=1.0),
                     next_token_loss)
    accumulated_step(full, [(x, y)], torch.optim.SGD(full.parameters(), lr=1.0), next_token_loss)
    assert _max_diff(model, full) > 1e-4


def test_accumulated_step_does_not_keep_stale_gradients():
    x, y = _batch(6)
    model = _gpt()
    ref = copy.deepcopy(model)
    for p in model.parameters():
        p.grad = torch.ones_like(p)            # left over from somewhere else
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    ref_opt = torch.optim.SGD(ref.parameters(), lr=0.1)
    accumulated_step(model, [(x, y)], opt, next_token_loss)
    _torch_step(ref, ref_opt, x, y)
    assert _max_diff(model, ref) < 1e-6


def test_train_throughput_on_cpu():
    model = _gpt()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    draws = []

    def batches():
        draws.append(1)
        return _batch(len(draws))

    for dtype in (None, torch.bfloat16):
        draws.clear()
        r = train_throughput(model, opt, batches, dtype=dtype, steps=3, warmup=1)
        assert len(draws) == 4 and len(r["step_s"]) == 3
        assert r["tokens_per_s"] > 0 and math.isfinite(r["loss"]) and r["peak_memory"] is None


def test_tensor_bytes_counts_each_storage_once():
    a = torch.zeros(10, 10)
    assert tensor_bytes([a, a[2:], a.T, torch.zeros(5, dtype=torch.float16)]) == 400 + 10


# ---------------------------------------------------------------- checkpoints
def _run(model, opt, sched, gen, data, steps):
    """Training steps with dropout (global RNG) and random batches (gen)."""
    model.train()
    for _ in range(steps):
        x, y = random_windows(data, 4, 16, gen)
        opt.zero_grad()
        _, loss = model(x, y)
        loss.backward()
        opt.step()
        sched.step()


def _fresh(seed=0):
    model = _gpt(seed, dropout=0.1)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 5))
    return model, opt, sched


def test_checkpoint_resume_is_identical_to_an_uninterrupted_run(tmp_path):
    data = torch.randint(0, 13, (500,), generator=torch.Generator().manual_seed(0))
    model, opt, sched = _fresh()
    gen = torch.Generator().manual_seed(1)
    torch.manual_seed(2)
    _run(model, opt, sched, gen, data, 8)

    a_model, a_opt, a_sched = _fresh()
    a_gen = torch.Generator().manual_seed(1)
    torch.manual_seed(2)
    _run(a_model, a_opt, a_sched, a_gen, data, 4)
    path = save_checkpoint(tmp_path / "ckpt.pt", a_model, a_opt, 4, a_sched, a_gen, note="half")
    assert not (tmp_path / "ckpt.pt.tmp").exists()
    torch.manual_seed(99)                      # whatever happens in between ...
    b_model, b_opt, b_sched = _fresh(seed=7)   # ... a new process builds everything anew
    b_gen = torch.Generator().manual_seed(5)
    state = load_checkpoint(path, b_model, b_opt, b_sched, b_gen)
    assert state["step"] == 4 and state["extra"] == {"note": "half"}
    _run(b_model, b_opt, b_sched, b_gen, data, 4)
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), b_model.parameters()))
    assert b_sched.last_epoch == sched.last_epoch == 8

    # without the batch generator's state, the resumed run differs
    c_model, c_opt, c_sched = _fresh()
    load_checkpoint(path, c_model, c_opt, c_sched)
    _run(c_model, c_opt, c_sched, torch.Generator().manual_seed(1), data, 4)
    assert not all(torch.equal(p, q) for p, q in zip(model.parameters(), c_model.parameters()))


def test_checkpoint_unwraps_compiled_and_missing_parts(tmp_path):
    model, opt, _ = _fresh()
    wrapper = nn.Module()
    wrapper._orig_mod = model                  # what torch.compile's wrapper looks like
    assert unwrap(wrapper) is model
    path = save_checkpoint(tmp_path / "sub" / "c.pt", wrapper, opt, 0)
    other, other_opt, other_sched = _fresh(seed=3)
    load_checkpoint(path, other)               # weights only
    assert _max_diff(model, other) == 0.0
    with pytest.raises(ValueError):
        load_checkpoint(path, other, other_opt, scheduler=other_sched)
    with pytest.raises(ValueError):
        load_checkpoint(path, other, generator=torch.Generator())
