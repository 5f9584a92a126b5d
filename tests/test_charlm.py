"""nncourse.charlm: the chapter 7 character LSTM, its training loop, evaluation and sampling."""

import math

import numpy as np
import pytest
import torch

from nncourse.charlm import CharLSTM, bits_per_char, generate, lm_loss, train_lm
from nncourse.text import CharVocab, sequential_windows

TEXT = "abcabcabcabd" * 40


@pytest.fixture(autouse=True)
def one_thread():
    # tiny models: on a busy machine extra threads mostly wait for each other
    n = torch.get_num_threads(); torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


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
