# task: model_flops_per_token
# expect: less
# Attention is quadratic in seq_len for the whole sequence, not per token.
def model_flops_per_token(n_params, n_layers, d_model, seq_len):
    return 6 * n_params + 12 * n_layers * d_model * seq_len ** 2
