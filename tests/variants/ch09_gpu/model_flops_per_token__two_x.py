# task: model_flops_per_token
# expect: less
# Counts the forward pass of the weights only (2N).
def model_flops_per_token(n_params, n_layers, d_model, seq_len):
    return 2 * n_params + 12 * n_layers * d_model * seq_len
