"""nncourse.gpt: the small GPT of chapter 8 (reused by chapter 9)."""

import math

import pytest
import torch

from nncourse.gpt import (GPT, TransformerBlock, alibi_bias, alibi_slopes, gpt_num_parameters,
                          sinusoidal_positions)


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


def _model(seed=0, **kw):
    torch.manual_seed(seed)
    args = dict(vocab_size=11, block_size=16, n_layer=2, n_head=4, d_model=32)
    args.update(kw)
    return GPT(**args)


def test_sinusoidal_positions_formula():
    pe = sinusoidal_positions(7, 6)
    assert pe.shape == (7, 6) and pe.dtype == torch.float32
    for t in range(7):
        for i in range(3):
            a = t / 10000 ** (2 * i / 6)
            assert pe[t, 2 * i].item() == pytest.approx(math.sin(a), abs=1e-6)
            assert pe[t, 2 * i + 1].item() == pytest.approx(math.cos(a), abs=1e-6)
    with pytest.raises(ValueError):
        sinusoidal_positions(4, 5)


@pytest.mark.parametrize("positions", ["learned", "sinusoidal", "alibi"])
def test_shapes_and_loss(positions):
    model = _model(positions=positions)
    idx = torch.randint(0, 11, (3, 10))
    logits, loss = model(idx)
    assert logits.shape == (3, 10, 11) and loss is None
    logits, loss = model(idx, idx)
    assert loss.ndim == 0 and torch.isfinite(loss)
    # at initialisation the prediction is nearly uniform
    assert loss.item() == pytest.approx(math.log(11), abs=0.1)
    with pytest.raises(ValueError):
        model(torch.zeros(1, 17, dtype=torch.long))


def test_alibi_bias_formula():
    """Head h adds -slope_h * (t - s) to the score of query t for key s <= t; -inf after t."""
    slopes = alibi_slopes(8)
    assert slopes.tolist() == [2.0 ** -h for h in range(1, 9)]
    assert alibi_slopes(4).tolist() == [2.0 ** (-2 * h) for h in range(1, 5)]
    bias = alibi_bias(4, 5)
    assert bias.shape == (4, 5, 5)
    for h in range(4):
        for t in range(5):
            for s in range(5):
                want = -float(alibi_slopes(4)[h]) * (t - s) if s <= t else -math.inf
                assert bias[h, t, s].item() == pytest.approx(want)


def test_alibi_reads_longer_windows_than_trained_and_has_no_positional_parameters():
    """With ALiBi nothing is added to the embeddings: the logits at a position do not
    depend on where the window starts, only on the characters before (same distances);
    and a window of any length up to block_size gives the same first logits."""
    model = _model(positions="alibi").eval()
    assert model.pos_emb is None and model.pos_table is None
    assert not any("pos" in name for name, _ in model.named_parameters())
    idx = torch.randint(0, 11, (2, 16))
    full, _ = model(idx)
    short, _ = model(idx[:, :6])
    torch.testing.assert_close(short, full[:, :6], atol=1e-5, rtol=1e-5)
    # the cached bias follows the length asked for
    assert model.blocks[0].attn._bias.shape == (1, 4, 6, 6)


def test_block_shape_and_residual():
    torch.manual_seed(0)
    block = TransformerBlock(d_model=16, n_heads=2, d_ff=24)
    x = torch.randn(2, 5, 16)
    assert block(x).shape == (2, 5, 16)


@pytest.mark.parametrize("positions", ["learned", "sinusoidal", "alibi"])
def test_causality(positions):
    """Changing token s never changes the logits at positions t < s."""
    model = _model(positions=positions).eval()
    g = torch.Generator().manual_seed(1)
    idx = torch.randint(0, 11, (2, 16), generator=g)
    base, _ = model(idx)
    for s in (0, 5, 15):
        changed = idx.clone()
        changed[:, s] = (changed[:, s] + 3) % 11
        out, _ = model(changed)
        assert torch.equal(out[:, :s], base[:, :s])
        assert not torch.allclose(out[:, s], base[:, s])


@pytest.mark.parametrize("positions", ["learned", "alibi"])
def test_explicit_weights_match_fused_attention(positions):
    model = _model(positions=positions).eval()
    idx = torch.randint(0, 11, (2, 12))
    fused, _ = model(idx)
    for b in model.blocks:
        b.attn.keep_weights = True
    explicit, _ = model(idx)
    torch.testing.assert_close(explicit, fused, atol=1e-5, rtol=1e-5)
    w = model.blocks[0].attn.weights
    assert w.shape == (2, 4, 12, 12)
    torch.testing.assert_close(w.sum(-1), torch.ones(2, 4, 12))
    assert (w.triu(1) == 0).all()


@pytest.mark.parametrize("kw", [{}, {"positions": "sinusoidal"}, {"positions": "alibi"}, {"bias": False},
                                {"d_ff": 40, "n_layer": 3}])
def test_parameter_count_formula(kw):
    model = _model(**kw)
    n = sum(p.numel() for p in model.parameters())
    args = dict(vocab_size=11, block_size=16, n_layer=2, d_model=32)
    args.update({k: v for k, v in kw.items()})
    assert n == gpt_num_parameters(**args)


def test_overfits_a_tiny_batch():
    model = _model(dropout=0.1)
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 11, (4, 16), generator=g)
    y = torch.roll(x, -1, dims=1)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    model.train()
    losses = []
    for _ in range(60):
        opt.zero_grad()
        _, loss = model(x, y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0]
    model.eval()
    assert model(x, y)[1].item() < 0.5


def test_generate_is_reproducible_and_respects_block_size():
    model = _model()
    start = torch.zeros(2, 1, dtype=torch.long)
    a = model.generate(start, 30, temperature=0.8, generator=torch.Generator().manual_seed(3))
    b = model.generate(start, 30, temperature=0.8, generator=torch.Generator().manual_seed(3))
    assert a.shape == (2, 31) and torch.equal(a, b)
    assert a.min() >= 0 and a.max() < 11
    with pytest.raises(ValueError):
        model.generate(start, 1, temperature=0.0)


def test_tied_head_is_the_token_embedding():
    model = _model(tie_weights=True)
    assert model.head.weight is model.tok_emb.weight
    n = sum(p.numel() for p in model.parameters())
    assert n == gpt_num_parameters(11, 16, 2, 32, tie_weights=True)
    assert n == gpt_num_parameters(11, 16, 2, 32) - 11 * 32
    idx = torch.randint(0, 11, (2, 8))
    _, loss = model(idx, idx)
    loss.backward()                                   # one gradient, from both uses
    assert model.tok_emb.weight.grad is not None


@pytest.mark.parametrize("tie", [False, True])
def test_adamw_decays_matrices_only(tie):
    model = _model(tie_weights=tie)
    opt = model.adamw(lr=1e-3, weight_decay=0.1, betas=(0.9, 0.95))
    decay, no_decay = opt.param_groups
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert all(p.dim() >= 2 for p in decay["params"]) and all(p.dim() == 1 for p in no_decay["params"])
    ids = [id(p) for g in opt.param_groups for p in g["params"]]
    assert sorted(ids) == sorted(id(p) for p in model.parameters())   # each once
    assert opt.defaults["betas"] == (0.9, 0.95)


# ---------------------------------------------------------------- the GPT that chapter 8 writes on the page
def _page_gpt_class():
    """The ``GPT`` class that chapter 8 defines in a code cell, executed as the book runs it:
    with the names the page imports (the block is nncourse's, imported unseen)."""
    import torch.nn.functional as F
    from torch import nn

    from nncourse import book

    cells = [c.source for c in book.read("book/ch08_transformer").cells
             if c.cell_type == "code" and "class GPT(nn.Module)" in c.source]
    assert len(cells) == 1, "chapter 8 defines its GPT in one code cell"
    names = {"math": math, "torch": torch, "nn": nn, "F": F, "TransformerBlock": TransformerBlock}
    exec(compile(cells[0], "ch08_transformer: class GPT", "exec"), names)
    return names["GPT"]


@pytest.mark.parametrize("positions", ["learned", "alibi"])
def test_the_chapters_gpt_is_nncourse_gpt(positions):
    """Chapter 8 builds its GPT on the page; nncourse.gpt.GPT (which chapter 9 and the
    benchmark train) must be the same model: the same weights from the same seed (so
    the chapter's training prints the benchmark model's numbers), the same state_dict
    keys, logits, loss, sampled text and greedy text."""
    PageGPT = _page_gpt_class()
    config = dict(block_size=16, n_layer=2, n_head=4, d_model=32, d_ff=48, positions=positions)
    torch.manual_seed(0)
    page = PageGPT(11, **config)
    torch.manual_seed(0)
    ref = GPT(11, **config)
    page_state, ref_state = page.state_dict(), ref.state_dict()
    assert list(page_state) == list(ref_state)
    for name in ref_state:                          # same seed, same initial weights
        assert torch.equal(page_state[name], ref_state[name]), name

    torch.manual_seed(1)
    ref = GPT(11, **config).eval()                  # other weights, loaded into the page's model
    page.load_state_dict(ref.state_dict(), strict=True)
    page.eval()
    g = torch.Generator().manual_seed(2)
    idx = torch.randint(0, 11, (3, 12), generator=g)
    targets = torch.randint(0, 11, (3, 12), generator=g)
    with torch.no_grad():
        logits, loss = page(idx, targets)
        ref_logits, ref_loss = ref(idx, targets)
        assert page(idx)[1] is None
    torch.testing.assert_close(logits, ref_logits, atol=1e-6, rtol=1e-6)
    assert abs(loss.item() - ref_loss.item()) < 1e-6
    with pytest.raises(ValueError):
        page(torch.zeros(1, 17, dtype=torch.long))

    # sampling: the same draws from the same generator; windows longer than block_size
    start = idx[:, :2]
    sampled = page.generate(start, 20, temperature=0.8, generator=torch.Generator().manual_seed(3))
    assert torch.equal(sampled, ref.generate(start, 20, temperature=0.8,
                                             generator=torch.Generator().manual_seed(3)))
    # greedy (top-k 1) is the argmax of nncourse's logits, step after step
    greedy = page.generate(start, 20, top_k=1, generator=torch.Generator().manual_seed(4))
    want = start
    with torch.no_grad():
        for _ in range(20):
            nxt = ref(want[:, -16:])[0][:, -1].argmax(-1, keepdim=True)
            want = torch.cat([want, nxt], dim=1)
    assert torch.equal(greedy, want)
    # top-k k draws only among the k most likely characters
    k = 3
    topk = page.generate(start, 1, top_k=k, generator=torch.Generator().manual_seed(5))[:, -1]
    with torch.no_grad():
        allowed = ref(start)[0][:, -1].topk(k, dim=-1).indices
    assert (allowed == topk[:, None]).any(dim=1).all()
