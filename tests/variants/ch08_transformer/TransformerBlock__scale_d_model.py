# task: TransformerBlock
# expect: less
# Scales the scores by sqrt(d_model) instead of sqrt(D), the width of one head (fused attention
# with an explicit scale).
import math

import torch
import torch.nn.functional as F
from torch import nn


class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.n_heads, self.p = n_heads, dropout
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.ModuleDict({"qkv": nn.Linear(d_model, 3 * d_model), "proj": nn.Linear(d_model, d_model)})
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.ModuleDict({"fc": nn.Linear(d_model, d_ff), "proj": nn.Linear(d_ff, d_model)})

    def forward(self, x):
        N, T, C = x.shape
        q, k, v = (z.unflatten(-1, (self.n_heads, -1)).transpose(1, 2)
                   for z in self.attn["qkv"](self.ln1(x)).chunk(3, dim=-1))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=1 / math.sqrt(C))
        x = x + F.dropout(self.attn["proj"](y.transpose(1, 2).flatten(2)), self.p, self.training)
        y = self.mlp["proj"](F.gelu(self.mlp["fc"](self.ln2(x))))
        return x + F.dropout(y, self.p, self.training)
