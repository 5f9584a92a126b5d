"""A small GPT: a decoder-only transformer language model, written for reading.

Chapter 8 builds it piece by piece and trains it on Shakespeare; chapter 9
reuses it for GPU benchmarks, so nothing here assumes a device or a size.

- ``sinusoidal_positions(T, d)``    the fixed positional encodings of "Attention is all you
  need" as a ``(T, d)`` tensor
- ``CausalSelfAttention``           multi-head self-attention in which position t sees
  positions 0..t only
- ``MLP``                           Linear(d, 4d) -> GELU -> Linear(4d, d)
- ``TransformerBlock(d_model, n_heads, d_ff, dropout=0.0)``  pre-LayerNorm block:
  ``x + attn(ln1(x))``, then ``x + mlp(ln2(x))``
- ``GPT(vocab_size, block_size, ...)``  token + positional embeddings, ``n_layer`` blocks,
  a final LayerNorm and a linear head (optionally tied to the token embedding);
  ``forward(idx, targets=None) -> (logits, loss)``;
  ``generate(idx, max_new_tokens, temperature=1.0, generator=None)``;
  ``adamw(lr, weight_decay, betas)`` an AdamW that decays only the weight matrices
- ``gpt_num_parameters(...)``       the parameter count of a ``GPT``, from the formula
- ``SHAKESPEARE_GPT``, ``SHAKESPEARE_TRAINING``   the model and the training recipe that
  chapter 8 and ``benchmarks/shakespeare_lm.py`` use on Shakespeare

Text comes in through ``nncourse.text`` (``CharVocab``, ``random_windows``), and
``nncourse.charlm.train_lm`` trains a ``GPT`` as it trains chapter 7's LSTM.

Shapes in comments: B batch, T time (positions), C channels (``d_model``),
H heads, d = C / H the width of one head, V the vocabulary size.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def sinusoidal_positions(T: int, d: int) -> torch.Tensor:
    """``PE[t, 2i] = sin(t / 10000**(2i/d))``, ``PE[t, 2i+1] = cos(...)``; ``d`` even; float32."""
    if d % 2:
        raise ValueError(f"d must be even, got {d}")
    t = torch.arange(T, dtype=torch.float64)[:, None]                # (T, 1)
    freq = 10000.0 ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)  # (d/2,)
    pe = torch.zeros(T, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(t * freq)
    pe[:, 1::2] = torch.cos(t * freq)
    return pe.float()


def alibi_slopes(n_heads: int) -> torch.Tensor:
    """ALiBi's slope of each head: the geometric sequence ``2**(-8 h / n_heads)``, h = 1..n_heads.

    Head h adds ``-slope[h] * (t - s)`` to the score of query t for key s: a
    penalty that grows with the distance back. With 4 heads the slopes are
    1/4, 1/16, 1/64 and 1/256, from a head that sees a few characters to one
    that sees hundreds (Press, Smith and Lewis, *Train short, test long*, 2022).
    """
    return 2.0 ** (-8.0 * torch.arange(1, n_heads + 1, dtype=torch.float32) / n_heads)


def alibi_bias(n_heads: int, T: int, device=None) -> torch.Tensor:
    """``(H, T, T)`` additive attention bias: ``-slope[h] * (t - s)`` for ``s <= t``, ``-inf`` after t."""
    t = torch.arange(T, device=device)
    back = (t[:, None] - t[None, :]).float()                        # (T, T): t - s
    bias = -alibi_slopes(n_heads).to(device)[:, None, None] * back  # (H, T, T)
    return bias.masked_fill(back < 0, float("-inf"))               # causal


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention with a causal mask.

    One linear layer computes queries, keys and values for all heads at once;
    head h uses channels ``h*d:(h+1)*d`` of each. Set ``keep_weights = True``
    to compute the attention weights explicitly and keep them in
    ``self.weights`` ``(B, H, T, T)`` (for plots); otherwise PyTorch's fused
    ``scaled_dot_product_attention`` does the work. ``alibi=True`` adds
    :func:`alibi_bias` to the scores: each head prefers recent positions,
    and the model needs no positional embedding.
    """

    def __init__(self, d_model: int, n_heads: int, dropout: float = 0.0, bias: bool = True,
                 alibi: bool = False):
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model ({d_model}) must be a multiple of n_heads ({n_heads})")
        self.n_heads = n_heads
        self.alibi = alibi
        self._bias: torch.Tensor | None = None     # alibi_bias for the last T (a cache)
        self.qkv = nn.Linear(d_model, 3 * d_model, bias=bias)
        self.proj = nn.Linear(d_model, d_model, bias=bias)
        self.dropout = dropout
        self.resid_drop = nn.Dropout(dropout)
        self.keep_weights = False
        self.weights: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        H = self.n_heads
        q, k, v = self.qkv(x).split(C, dim=2)                     # 3 x (B, T, C)
        # Cut the channels into H heads of d = C // H: (B, T, C) -> (B, H, T, d)
        q, k, v = (z.view(B, T, H, C // H).transpose(1, 2) for z in (q, k, v))
        p = self.dropout if self.training else 0.0
        bias = self._alibi_bias(T, q) if self.alibi else None          # (1, H, T, T)
        if self.keep_weights:
            scores = q @ k.transpose(-2, -1) / math.sqrt(C // H)   # (B, H, T, T)
            if bias is not None:
                scores = scores + bias
            allowed = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
            w = scores.masked_fill(~allowed, float("-inf")).softmax(dim=-1)
            self.weights = w.detach()
            y = F.dropout(w, p, self.training) @ v                 # (B, H, T, d)
        elif bias is not None:                                     # the bias holds the mask
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=p)
        else:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
        y = y.transpose(1, 2).reshape(B, T, C)                     # concat heads: (B, T, C)
        return self.resid_drop(self.proj(y))

    def _alibi_bias(self, T: int, x: torch.Tensor) -> torch.Tensor:
        """``alibi_bias(H, T)`` as a contiguous ``(1, H, T, T)`` tensor, cached for the last T.

        The shape matters: PyTorch's fused CPU kernel takes a 4-d mask and falls
        back to the plain computation (six times slower here) for a 3-d one.
        """
        b = self._bias
        if b is None or b.shape[-1] != T or b.device != x.device or b.dtype != x.dtype:
            b = self._bias = alibi_bias(self.n_heads, T, x.device).to(x.dtype)[None].contiguous()
        return b


class MLP(nn.Module):
    """The position-wise feed-forward network: Linear(C, d_ff) -> GELU -> Linear(d_ff, C)."""

    def __init__(self, d_model: int, d_ff: int, dropout: float = 0.0, bias: bool = True):
        super().__init__()
        self.fc = nn.Linear(d_model, d_ff, bias=bias)
        self.proj = nn.Linear(d_ff, d_model, bias=bias)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(self.proj(F.gelu(self.fc(x))))            # (B, T, C)


class TransformerBlock(nn.Module):
    """Pre-LayerNorm transformer block: ``x + attn(ln1(x))``, then ``x + mlp(ln2(x))``.

    Input and output ``(B, T, d_model)``; the attention is causal.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0,
                 bias: bool = True, alibi: bool = False):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model, bias=bias)
        self.attn = CausalSelfAttention(d_model, n_heads, dropout, bias, alibi)
        self.ln2 = nn.LayerNorm(d_model, bias=bias)
        self.mlp = MLP(d_model, d_ff, dropout, bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))                             # (B, T, C)
        x = x + self.mlp(self.ln2(x))                              # (B, T, C)
        return x


class GPT(nn.Module):
    """A decoder-only transformer language model.

    ``positions`` is ``"learned"`` (an ``nn.Embedding(block_size, d_model)``),
    ``"sinusoidal"`` (fixed, a buffer) or ``"alibi"`` (nothing is added to the
    token embeddings; every attention layer penalises its scores by distance,
    :func:`alibi_bias`). ``d_ff`` defaults to ``4 * d_model``.
    ``tie_weights=True`` makes the head share its ``(V, C)`` matrix with the token
    embedding: a character is read and written with the same vector.
    """

    def __init__(self, vocab_size: int, block_size: int, n_layer: int = 4, n_head: int = 4,
                 d_model: int = 128, d_ff: int | None = None, dropout: float = 0.0,
                 positions: str = "learned", bias: bool = True, tie_weights: bool = False):
        super().__init__()
        if positions not in ("learned", "sinusoidal", "alibi"):
            raise ValueError(f"positions must be 'learned', 'sinusoidal' or 'alibi', got {positions!r}")
        self.block_size = block_size
        d_ff = 4 * d_model if d_ff is None else d_ff
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(block_size, d_model) if positions == "learned" else None
        table = sinusoidal_positions(block_size, d_model) if positions == "sinusoidal" else None
        self.register_buffer("pos_table", table, persistent=False)
        self.drop = nn.Dropout(dropout)
        alibi = positions == "alibi"
        self.blocks = nn.ModuleList(TransformerBlock(d_model, n_head, d_ff, dropout, bias, alibi)
                                    for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(d_model, bias=bias)
        self.head = nn.Linear(d_model, vocab_size, bias=False)
        if tie_weights:
            self.head.weight = self.tok_emb.weight                    # one (V, C) parameter
        self.apply(self._init_weights)
        # GPT-2's scaling: each residual branch's last layer gets std 0.02 / sqrt(2 n_layer),
        # so that the sum of 2 n_layer branches keeps the residual stream's scale.
        for name, p in self.named_parameters():
            if name.endswith("attn.proj.weight") or name.endswith("mlp.proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * n_layer))

    @staticmethod
    def _init_weights(m: nn.Module) -> None:
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None):
        """``idx (B, T)`` token ids, ``T <= block_size`` -> ``(logits (B, T, V), loss)``.

        ``loss`` is the mean cross-entropy against ``targets (B, T)``, or None.
        """
        B, T = idx.shape
        if T > self.block_size:
            raise ValueError(f"sequence length {T} exceeds block_size {self.block_size}")
        x = self.tok_emb(idx)                                        # (B, T, C)
        if self.pos_emb is not None:
            x = x + self.pos_emb(torch.arange(T, device=idx.device))  # + (T, C)
        elif self.pos_table is not None:
            x = x + self.pos_table[:T]                               # + (T, C)
        x = self.drop(x)
        for block in self.blocks:
            x = block(x)                                             # (B, T, C)
        logits = self.head(self.ln_f(x))                             # (B, T, V)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        return logits, loss

    def adamw(self, lr: float, weight_decay: float = 0.1,
              betas: tuple[float, float] = (0.9, 0.99), fused: bool | None = None) -> torch.optim.AdamW:
        """AdamW with weight decay on the weight matrices and embeddings only.

        Biases and LayerNorm gains (the 1-D parameters) are not decayed: pulling
        a gain towards 0 would shrink the normalised signal, not simplify the model.
        ``fused=True`` updates all parameters in one kernel (CPU or GPU), about
        10% of a step faster for the small models of chapter 8; the numbers
        differ from the default implementation only by rounding.
        """
        params = list(dict.fromkeys(self.parameters()))           # a tied matrix once
        groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
                  {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=lr, betas=betas, fused=fused)

    @torch.no_grad()
    def generate(self, idx: torch.Tensor, max_new_tokens: int, temperature: float = 1.0,
                 generator: torch.Generator | None = None) -> torch.Tensor:
        """Append ``max_new_tokens`` sampled tokens to ``idx (B, T)``; returns ``(B, T + new)``.

        Each token is drawn from ``softmax(logits / temperature)`` of the last
        position, seeing at most the last ``block_size`` tokens; pass a seeded
        ``torch.Generator`` (on the model's device) for reproducible samples.
        The model is put in eval mode and left there.
        """
        if temperature <= 0:
            raise ValueError(f"temperature must be positive, got {temperature}")
        self.eval()
        for _ in range(max_new_tokens):
            logits, _ = self(idx[:, -self.block_size:])              # (B, T, V)
            probs = F.softmax(logits[:, -1] / temperature, dim=-1)   # (B, V)
            nxt = torch.multinomial(probs, 1, generator=generator)   # (B, 1)
            idx = torch.cat([idx, nxt], dim=1)
        return idx


def gpt_num_parameters(vocab_size: int, block_size: int, n_layer: int, d_model: int,
                       d_ff: int | None = None, positions: str = "learned",
                       bias: bool = True, tie_weights: bool = False) -> int:
    """The number of parameters of ``GPT(...)`` with these arguments, counted by formula.

    Per block: two LayerNorms (2C each with bias, C without), Q, K, V and the output
    projection (4 C^2, plus 4C biases), the MLP (2 C d_ff, plus d_ff + C biases).
    A tied head adds nothing: it is the token embedding.
    """
    C = d_model
    F_ = 4 * C if d_ff is None else d_ff
    ln = 2 * C if bias else C
    block = 2 * ln + 4 * C * C + 2 * C * F_ + ((4 * C + F_ + C) if bias else 0)
    emb = vocab_size * C + (block_size * C if positions == "learned" else 0)
    head = 0 if tie_weights else C * vocab_size
    return emb + n_layer * block + ln + head


# The GPT of chapter 8 and of benchmarks/shakespeare_lm.py, tuned to train on
# Shakespeare's characters in about a minute on two CPU cores (chapter 8 says
# what mattered): two blocks of eight heads with ALiBi's recency bias instead
# of a positional embedding, an MLP of width 3C, trained on windows of
# `seq_len` = 64 characters. `block_size` only bounds what the model may read
# at once (ALiBi has no table of positions); the benchmark reads windows of 256.
# The recipe is for nncourse.charlm.train_lm: AdamW (GPT.adamw, fused), a linear
# warm-up over `warmup` steps, then a cosine from `lr` down to `final_lr * lr`
# at the end of the budget (charlm.warmup_cosine).
SHAKESPEARE_GPT = dict(block_size=256, n_layer=2, n_head=8, d_model=128, d_ff=384, positions="alibi")
SHAKESPEARE_TRAINING = dict(batch_size=16, seq_len=64, lr=5e-3, warmup=50, final_lr=0.05,
                            weight_decay=0.1, betas=(0.9, 0.99), fused=True)
