# task: TransformerBlock
# expect: less
# The attention scores are not divided by sqrt(D) (a loop over the heads, masked_fill with a large
# negative number).
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
        self.dropout = dropout

    def forward(self, x):
        T, C = x.shape[1], x.shape[2]
        D = C // self.n_heads
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        future = torch.ones(T, T).triu(1).bool()
        outs = []
        for i in range(self.n_heads):
            s = slice(i * D, (i + 1) * D)
            scores = (q[..., s] @ k[..., s].transpose(1, 2)).masked_fill(future, -1e30)
            outs.append(scores.softmax(dim=-1) @ v[..., s])
        y = self.proj(torch.cat(outs, dim=-1))
        return F.dropout(y, self.dropout, self.training)


class MLP(nn.Module):
    def __init__(self, d_model, d_ff, dropout=0.0):
        super().__init__()
        self.fc = nn.Linear(d_model, d_ff)
        self.act = nn.GELU()
        self.proj = nn.Linear(d_ff, d_model)
        self.dropout = dropout

    def forward(self, x):
        return F.dropout(self.proj(self.act(self.fc(x))), self.dropout, self.training)


class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads, dropout)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = MLP(d_model, d_ff, dropout)

    def forward(self, x):
        x = self.attn(self.ln1(x)) + x
        x = self.mlp(self.ln2(x)) + x
        return x
