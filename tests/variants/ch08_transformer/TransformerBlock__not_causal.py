# task: TransformerBlock
# expect: less
# Forgets the causal mask: every position attends to the whole sequence (ModuleDicts, no helper classes).
import math

import torch
import torch.nn.functional as F
from torch import nn


class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.h = n_heads
        self.ln1, self.ln2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.attn = nn.ModuleDict(dict(qkv=nn.Linear(d_model, 3 * d_model), proj=nn.Linear(d_model, d_model)))
        self.mlp = nn.ModuleDict(dict(fc=nn.Linear(d_model, d_ff), proj=nn.Linear(d_ff, d_model)))
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        N, T, C = x.shape
        heads = self.attn["qkv"](self.ln1(x)).view(N, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        q, k, v = heads[0], heads[1], heads[2]                                   # (N, h, T, D)
        w = torch.softmax(q @ k.mT / math.sqrt(C // self.h), dim=-1)
        y = (w @ v).permute(0, 2, 1, 3).reshape(N, T, C)
        x = x + self.drop(self.attn["proj"](y))
        return x + self.drop(self.mlp["proj"](F.gelu(self.mlp["fc"](self.ln2(x)))))
