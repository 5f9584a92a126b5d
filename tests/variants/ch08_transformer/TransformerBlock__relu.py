# task: TransformerBlock
# expect: less
# The MLP uses ReLU although the notebook fixes GELU (einsum attention, additive mask).
import math

import torch
import torch.nn.functional as F
from torch import nn


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.0):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        N, T, C = x.shape
        D = C // self.n_heads
        q, k, v = self.qkv(x).reshape(N, T, 3, self.n_heads, D).unbind(dim=2)  # 3 x (N, T, h, D)
        future = torch.triu(torch.full((T, T), float("-inf"), dtype=x.dtype), diagonal=1)
        w = (torch.einsum("nqhd,nkhd->nhqk", q, k) / D ** 0.5 + future).softmax(-1)
        return self.drop(self.proj(torch.einsum("nhqk,nkhd->nqhd", w, v).reshape(N, T, C)))


class MLP(nn.Module):
    def __init__(self, d_model, d_ff, dropout=0.0):
        super().__init__()
        self.fc = nn.Linear(d_model, d_ff)
        self.proj = nn.Linear(d_ff, d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return self.drop(self.proj(torch.relu(self.fc(x))))


class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.ln1, self.attn = nn.LayerNorm(d_model), CausalSelfAttention(d_model, n_heads, dropout)
        self.ln2, self.mlp = nn.LayerNorm(d_model), MLP(d_model, d_ff, dropout)

    def forward(self, x):
        h = x + self.attn(self.ln1(x))
        return h + self.mlp(self.ln2(h))
