"""nncourse.charlm: the chapter 7 character LSTM, its training loop, evaluation and sampling."""

import math

import numpy as np
import pytest
import torch

from nncourse.charlm import CharLSTM, bits_per_char, generate, lm_loss, train_lm, warmup_cosine
from nncourse.text import CharVocab, sequential_windows

TEXT = "abcabcabcabd" * 40


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


def _setup(seed=0):
    torch.manual_seed(seed)
    vocab = CharVocab(TEXT)
    return vocab, vocab.encode(TEXT), CharLSTM(len(vocab), embed_dim=8, hidden_size=16)


def test_shapes_and_state_carry_over():
    vocab, data, model = _setup()
    x = data[:30].view(3, 10)
    logits, (h, c) = model(x)
    assert logits.shape == (3, 10, len(vocab))
    assert h.shape == c.shape == (1, 3, 16)
    # running in two halves with the state carried over equals one run
    a, state = model(x[:, :4])
    b, _ = model(x[:, 4:], state)
    torch.testing.assert_close(torch.cat([a, b], dim=1), logits)


def test_untrained_loss_is_near_uniform_and_bits_convert():
    vocab, data, model = _setup()
    batches = list(sequential_windows(data, 8, 20))
    bpc = bits_per_char(model, batches)
    assert abs(bpc - math.log2(len(vocab))) < 0.3
    x, y = batches[0]
    assert bits_per_char(model, [(x, y)]) == pytest.approx(lm_loss(model, x, y).item() / math.log(2))
    assert model.training
    with pytest.raises(ValueError):
        bits_per_char(model, [])


def test_train_lm_learns_reproducibly_and_clips():
    def run():
        vocab, data, model = _setup()
        opt = torch.optim.Adam(model.parameters(), lr=2e-2)
        val = list(sequential_windows(data, 8, 20))
        h = train_lm(model, data, opt, steps=60, batch_size=8, seq_len=20,
                     generator=torch.Generator().manual_seed(0), max_norm=0.5,
                     val_batches=val, val_every=25, progress=False)
        return model, h
    model, h = run()
    assert len(h.train_bpc) == len(h.grad_norms) == 60
    assert h.val_steps == [25, 50, 60]
    assert h.val_bpc[-1] < 0.5 * math.log2(4)          # the pattern is nearly deterministic
    assert h.train_bpc[-1] < h.train_bpc[0]
    _, h2 = run()
    assert h2.train_bpc == h.train_bpc and h2.val_bpc == h.val_bpc


def test_generate_is_deterministic_and_learns_the_pattern():
    vocab, data, model = _setup()
    opt = torch.optim.Adam(model.parameters(), lr=2e-2)
    train_lm(model, data, opt, steps=80, batch_size=8, seq_len=24,
             generator=torch.Generator().manual_seed(0), progress=False)
    s1 = generate(model, vocab, "abc", 30, 0.5, np.random.default_rng(0))
    s2 = generate(model, vocab, "abc", 30, 0.5, np.random.default_rng(0))
    assert s1 == s2 and len(s1) == 33 and s1.startswith("abc")
    assert s1[3:12] == "abcabcabc"[:9] or s1.count("abc") >= 8
    with pytest.raises(ValueError):
        generate(model, vocab, "", 5, 1.0, np.random.default_rng(0))


def test_train_lm_steps_the_scheduler_once_per_step():
    vocab, data, model = _setup()
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    h = train_lm(model, data, opt, steps=3, batch_size=2, seq_len=5,
                 generator=torch.Generator().manual_seed(0), max_norm=None,
                 scheduler=sched, progress=False)
    assert opt.param_groups[0]["lr"] == 0.125
    assert h.val_steps == [] and len(h.grad_norms) == 3


def test_warmup_cosine_rises_then_decays_to_final():
    f = warmup_cosine(4, final=0.1)
    assert [f(s, 0.0) for s in range(5)] == pytest.approx([0.25, 0.5, 0.75, 1.0, 1.0])
    assert f(10, 0.5) == pytest.approx(0.1 + 0.9 * 0.5)
    assert f(10, 1.0) == pytest.approx(0.1) and f(10, 1.5) == pytest.approx(0.1)
    values = [f(10, d / 20) for d in range(21)]
    assert all(a >= b for a, b in zip(values, values[1:]))


def test_train_lm_applies_the_schedule_by_fraction_of_steps_and_restores_lr():
    vocab, data, model = _setup()
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    seen = []
    orig_step = opt.step

    def step(*a, **kw):
        seen.append(opt.param_groups[0]["lr"])
        return orig_step(*a, **kw)
    opt.step = step
    h = train_lm(model, data, opt, steps=4, batch_size=2, seq_len=5,
                 generator=torch.Generator().manual_seed(0),
                 lr_schedule=lambda s, done: 1.0 - done, progress=False)
    assert seen == pytest.approx([0.5, 0.375, 0.25, 0.125])
    assert opt.param_groups[0]["lr"] == 0.5
    assert h.seconds > 0 and h.cpu_seconds > 0


def test_train_lm_stops_when_the_time_budget_is_spent(monkeypatch):
    vocab, data, model = _setup()
    clock = iter(range(1000))
    monkeypatch.setattr("nncourse.charlm.time.perf_counter", lambda: float(next(clock)))
    dones, seen = [], []
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    h = train_lm(model, data, opt, steps=100, batch_size=2, seq_len=5,
                 generator=torch.Generator().manual_seed(0), max_seconds=3.0,
                 lr_schedule=lambda s, done: dones.append(done) or 1.0,
                 val_batches=list(sequential_windows(data, 8, 20)), val_every=50, progress=False,
                 on_step=seen.append)
    # every step "takes" one second: three steps fit, the schedule saw 0, 1/3, 2/3
    assert len(h.train_bpc) == 3 and h.seconds == 3.0
    assert dones == pytest.approx([0, 1 / 3, 2 / 3])
    assert h.val_steps == [3]                          # validated once, after the last step
    assert seen == [1.0, 2.0, 3.0]                     # on_step: training seconds after each step
