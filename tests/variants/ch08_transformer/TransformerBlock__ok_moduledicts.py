# task: TransformerBlock
# expect: full
# Another correct answer with the same parameter names but no helper classes: nn.ModuleDicts, the
# attention written out in the block's forward, an additive -inf mask, F.dropout with self.training.
import math

import torch
import torch.nn.functional as F
from torch import nn


class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.h, self.p = n_heads, dropout
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.ModuleDict({"qkv": nn.Linear(d_model, 3 * d_model), "proj": nn.Linear(d_model, d_model)})
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.ModuleDict({"fc": nn.Linear(d_model, d_ff), "proj": nn.Linear(d_ff, d_model)})

    def forward(self, x):
        N, T, C = x.shape
        D = C // self.h
        q, k, v = torch.split(self.attn["qkv"](self.ln1(x)), [C, C, C], dim=-1)
        q, k, v = (z.unflatten(-1, (self.h, D)).transpose(1, 2) for z in (q, k, v))   # (N, h, T, D)
        future = torch.full((T, T), float("-inf"), dtype=x.dtype).triu(1)
        w = torch.softmax(torch.einsum("nhqd,nhkd->nhqk", q, k) * D ** -0.5 + future, dim=-1)
        y = torch.einsum("nhqk,nhkd->nqhd", w, v).flatten(2)
        x = x + F.dropout(self.attn["proj"](y), self.p, self.training)
        hidden = F.gelu(self.mlp["fc"](self.ln2(x)))
        return x + F.dropout(self.mlp["proj"](hidden), self.p, self.training)
